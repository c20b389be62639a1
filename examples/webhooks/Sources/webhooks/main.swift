// The project's command line: `swift run webhooks synth`, `validate`, `diff`, `cost`, `package`, ...
import OrderStackCLI
import WebhooksBlueprint

OrderStack.main(stacks: [WebhooksBlueprint.stack], blueprint: BlueprintSources.fingerprint)
