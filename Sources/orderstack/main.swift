// The orders project's executable: the CLI, handed the orders blueprint and the fingerprint of its sources (a
// user's own package has the same lines).
import OrderStackCLI
import OrdersBlueprint

OrderStack.main(stacks: [OrdersBlueprint.stack], blueprint: BlueprintSources.fingerprint)
