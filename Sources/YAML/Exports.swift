// The report formats built on this module's diagnostics use the shared JSON string escaper; locations and
// diagnostics come from SourceDiagnostics.
@_exported import JSONText
@_exported import SourceDiagnostics
