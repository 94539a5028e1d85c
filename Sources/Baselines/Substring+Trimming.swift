extension Substring {
    /// The text without leading and trailing whitespace (Foundation-free).
    var trimmingWhitespace: Substring {
        guard let start = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace })
        else { return self[endIndex...] }
        return self[start...last]
    }
}
