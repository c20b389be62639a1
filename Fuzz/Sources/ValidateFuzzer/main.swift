import Validation

#if canImport(Glibc)
    import Glibc
#endif

/// libFuzzer's driver (linked by `-sanitize=fuzzer`): parses the command line and calls the callback per input.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// One input: read it as a template file and run every check. A crash, a hang or a sanitizer report is a bug;
/// findings are expected.
let callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt = { data, size in
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    _ = Validator.validate(bytes: bytes, path: "fuzz.yaml")
    return 0
}

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, callback))

/// The same callback under libFuzzer's conventional name, for when libFuzzer's own `main` is the one linked.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt { callback(data, size) }
