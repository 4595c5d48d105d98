// Changes a form control the way a user's input would and fires input and
// change: op is "select" (choose the option with that value or label),
// "clear" (empty a text field) or "checked" (report the checkbox state).
(sel, op, value) => {
  const el = document.querySelector(sel);
  if (!el) return {problem: "no element matches"};
  const fire = () => {
    el.dispatchEvent(new Event("input", {bubbles: true}));
    el.dispatchEvent(new Event("change", {bubbles: true}));
  };
  if (op === "select") {
    if (el.tagName !== "SELECT") return {problem: "element is not a <select>"};
    const opt = Array.from(el.options).find(o => o.value === value) ||
      Array.from(el.options).find(o => o.textContent.trim() === value);
    if (!opt) return {problem: "no option with value or label " + JSON.stringify(value)};
    el.focus();
    el.value = opt.value;
    fire();
    return {problem: ""};
  }
  if (op === "clear") {
    if (typeof el.value !== "string") return {problem: "element has no value to clear"};
    el.focus();
    el.value = "";
    fire();
    return {problem: ""};
  }
  if (op === "checked") {
    if (typeof el.checked !== "boolean") return {problem: "element is not a checkbox or radio button"};
    return {problem: "", checked: el.checked};
  }
  return {problem: "unknown operation " + op};
}
