import CloudFormation
import TemplateYAML
import YAML

/// Naming rules shared by every expansion, kept in one place; public for constructs written elsewhere.
public enum Names {
    /// `OrderEvents` -> `ORDER_EVENTS` for environment variable names.
    public static func upperSnake(_ name: String) -> String {
        var result = ""
        var previous: Character?
        for character in name {
            if character.isUppercase, let previous, previous.isLowercase || previous.isNumber {
                result.append("_")
            }
            result.append(character == "-" ? "_" : Character(character.uppercased()))
            previous = character
        }
        return result
    }

    /// `order-processor` or `/orders/{orderId}` -> `OrderProcessor` / `OrdersOrderId` for logical IDs.
    public static func pascal(_ text: String) -> String {
        text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }
            .joined()
    }

    /// A physical name scoped to the stack: `!Sub '${AWS::StackName}-<suffix>'`.
    public static func stackScoped(_ suffix: String) -> Value { .sub("${AWS::StackName}-\(suffix)", nil) }

    /// Properties as text, for a fingerprint: their YAML rendering (empty if they cannot be rendered).
    static func rendered(_ properties: Fields) -> String {
        (try? Emitter.render(TemplateWriter.node(.map(properties)))) ?? ""
    }

    /// 64-bit FNV-1a of `text` as 8 hex digits: stable across runs and platforms, unlike `Hasher`.
    static func stableHash(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String((String(repeating: "0", count: max(0, 16 - hex.count)) + hex).prefix(8))
    }
}
