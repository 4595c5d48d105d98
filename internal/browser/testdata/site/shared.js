fetch("/collect?from=shared", {method: "POST", body: "shared-body"});
