// Counts as people read them, for every module that writes them into text.

extension Int {
    /// The integer with thousands separators, as the report prints counts: `12,500`,
    /// `−3,000` (a true minus sign).
    public var thousandsSeparated: String {
        let digits = Array(String(magnitude))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (self < 0 ? "\u{2212}" : "") + out
    }
}
