// The order-processor Lambda bootstrap: SQS batches of orders in, partial batch failures out (OrderHandlers).
import CGlibcCompat
import LambdaRuntime
import OrderHandlers

#if canImport(Glibc)
    import Glibc
#endif

_ = orderstack_glibc_compat_active()
exit(await HandlerMain.run(.processor, environment: HandlerEnvironment.current()))
