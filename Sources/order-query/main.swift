// The order-query Lambda bootstrap: GET /orders/{orderId} through the API Gateway proxy integration (OrderHandlers).
import CGlibcCompat
import LambdaRuntime
import OrderHandlers

#if canImport(Glibc)
    import Glibc
#endif

_ = orderstack_glibc_compat_active()
exit(await HandlerMain.run(.query, environment: HandlerEnvironment.current()))
