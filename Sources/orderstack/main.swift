import OrderStackCLI

OrderStack.main()
