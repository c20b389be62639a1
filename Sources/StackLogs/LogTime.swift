/// The times log lines carry: RFC 3339 (`2026-12-04T10:00:00.123Z`, the handlers' `timestamp`, Lambda's `time`)
/// and API Gateway's `$context.requestTime` (`04/Dec/2026:10:00:00 +0000`, the access log's `requestTime`).
public enum LogTime {
    /// Milliseconds since 1970 of an RFC 3339 time in UTC (`Z` or `+00:00`), or `nil`.
    public static func rfc3339(_ text: Substring) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T") else { return nil }
        guard let year = number(bytes, 0, 4), let month = number(bytes, 5, 2), let day = number(bytes, 8, 2),
            let hour = number(bytes, 11, 2), let minute = number(bytes, 14, 2), let second = number(bytes, 17, 2)
        else { return nil }
        var millis = 0
        if bytes.count > 20, bytes[19] == UInt8(ascii: ".") {
            var digits = 0
            var index = 20
            while index < bytes.count, let digit = digit(bytes[index]) {
                if digits < 3 { millis = millis * 10 + digit }
                digits += 1
                index += 1
            }
            for _ in digits..<3 where digits < 3 { millis *= 10 }
        }
        return milliseconds(year, month, day, hour, minute, second, millis)
    }

    /// Milliseconds since 1970 of `dd/Mon/yyyy:HH:mm:ss +0000`, or `nil`.
    public static func requestTime(_ text: Substring) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[2] == UInt8(ascii: "/"), bytes[6] == UInt8(ascii: "/") else { return nil }
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard let day = number(bytes, 0, 2), let monthIndex = names.firstIndex(of: String(text.dropFirst(3).prefix(3))),
            let year = number(bytes, 7, 4), let hour = number(bytes, 12, 2), let minute = number(bytes, 15, 2),
            let second = number(bytes, 18, 2)
        else { return nil }
        return milliseconds(year, monthIndex + 1, day, hour, minute, second, 0)
    }

    static func milliseconds(
        _ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int, _ millis: Int
    )
        -> Int64?
    {
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = Int64(era * 146_097 + doe - 719_468)
        return ((days * 86_400 + Int64(hour * 3600 + minute * 60 + second)) * 1000) + Int64(millis)
    }

    static func digit(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }

    static func number(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for index in start..<(start + count) {
            guard let digit = digit(bytes[index]) else { return nil }
            value = value * 10 + digit
        }
        return value
    }
}
