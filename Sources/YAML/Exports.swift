// The report formats built on this module's diagnostics use the shared JSON string escaper.
@_exported import JSONText
