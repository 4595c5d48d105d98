fetch("/collect?from=worker", {method: "POST", body: "worker-body"});
