// Templates carry source locations; checks on them report diagnostics.
@_exported import SourceDiagnostics
