/* leakwatch lab: per-pixel signals configuration for pixel {{.ID}}, in the
 * shape Meta's connect.facebook.net/signals/config/<id> script takes. */
fbq.registerPlugin("config:{{.ID}}", {__fbEventsPlugin: 1, plugin: function (fbq, instance, config) {
config.set("{{.ID}}", "automaticMatching", {"selectedMatchKeys":["em","fn","ln","ph","ct","st","zp","country"]});
config.set("{{.ID}}", "inferredEvents", {"buttonSelector":"input[type='button'],input[type='submit'],button,a"});
config.set("{{.ID}}", "unwantedData", {"blacklisted_keys":{},"sensitive_keys":{}});
config.set("{{.ID}}", "protectedDataMode", {"disableAM":false});
instance.optIn("{{.ID}}", "AutomaticMatching", true);
instance.optIn("{{.ID}}", "InferredEvents", true);
instance.configLoaded("{{.ID}}");
}});
