// Reads this frame's localStorage and sessionStorage.
() => {
  const items = [];
  for (const [kind, name] of [["local", "localStorage"], ["session", "sessionStorage"]]) {
    try {
      const st = window[name];
      for (let i = 0; i < st.length; i++) {
        const k = st.key(i);
        items.push({kind: kind, key: k, value: st.getItem(k)});
      }
    } catch (e) {}
  }
  return {origin: location.origin, items: items};
}
