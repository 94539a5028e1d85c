/// Deterministic decimation of long series for drawing.
public enum Downsampling {
    /// Min/max decimation: at most `maxVertices` points of `(x, y)` in their
    /// original order, keeping each bucket's minimum and maximum so spikes stay
    /// visible.
    ///
    /// Contract: when `x.count <= maxVertices` the input comes back unchanged.
    /// Otherwise the indices are cut into `B = (maxVertices - 2) / 2` buckets of
    /// equal count (bucket `b` is `[b·n/B, (b+1)·n/B)`); each bucket contributes
    /// the point with its smallest and the point with its largest `y` (the first
    /// such point on ties, one point when they coincide), in index order; the
    /// first and last points are always kept. Hence every bucket's min and max,
    /// and the global min and max, survive. Pairs with a non-finite coordinate
    /// are never chosen (split series at non-finite values before calling this
    /// to keep the gaps).
    ///
    /// - Parameters:
    ///   - x: x coordinates, same count as `y`.
    ///   - y: y coordinates.
    ///   - maxVertices: the budget, at least 4.
    /// - Returns: the kept points and the indices they came from.
    public static func minMax(x: [Double], y: [Double], maxVertices: Int) -> (x: [Double], y: [Double], indices: [Int]) {
        let n = min(x.count, y.count)
        let budget = max(maxVertices, 4)
        guard n > budget else { return (Array(x.prefix(n)), Array(y.prefix(n)), Array(0..<n)) }
        let buckets = (budget - 2) / 2
        var indices: [Int] = [0]
        indices.reserveCapacity(budget)
        for bucket in 0..<buckets {
            let lower = bucket * n / buckets
            let upper = (bucket + 1) * n / buckets
            var low = -1
            var high = -1
            for index in lower..<upper where x[index].isFinite && y[index].isFinite {
                if low < 0 || y[index] < y[low] { low = index }
                if high < 0 || y[index] > y[high] { high = index }
            }
            guard low >= 0 else { continue }
            for index in [min(low, high), max(low, high)] where index != indices.last! {
                indices.append(index)
            }
        }
        if indices.last! != n - 1 { indices.append(n - 1) }
        indices = indices.filter { x[$0].isFinite && y[$0].isFinite }
        return (indices.map { x[$0] }, indices.map { y[$0] }, indices)
    }
}

extension Downsampling {
    /// Min/max decimation with buckets of equal width in `positions` (e.g. the
    /// x values as placed on the axis: `log10(x)` on a logarithmic axis), so a
    /// log axis gets as many vertices per decade at its right end as at its left.
    ///
    /// Contract as ``minMax(x:y:maxVertices:)``, with bucket `b` holding the
    /// points whose position lies in the `b`-th of `B` equal parts of
    /// `[min(positions), max(positions)]`. Points with a non-finite position
    /// are kept as they are.
    public static func minMax(x: [Double], y: [Double], positions: [Double],
                              maxVertices: Int) -> (x: [Double], y: [Double], indices: [Int]) {
        let n = min(x.count, y.count, positions.count)
        let budget = max(maxVertices, 4)
        guard n > budget else { return (Array(x.prefix(n)), Array(y.prefix(n)), Array(0..<n)) }
        let buckets = (budget - 2) / 2
        var lo = Double.infinity
        var hi = -Double.infinity
        for position in positions.prefix(n) where position.isFinite {
            lo = min(lo, position)
            hi = max(hi, position)
        }
        var low = [Int](repeating: -1, count: buckets)
        var high = [Int](repeating: -1, count: buckets)
        var keep: [Int] = [0, n - 1]
        let scale = hi > lo ? Double(buckets) / (hi - lo) : 0
        for index in 0..<n where x[index].isFinite && y[index].isFinite {
            guard positions[index].isFinite else {
                keep.append(index)
                continue
            }
            let bucket = min(buckets - 1, max(0, Int((positions[index] - lo) * scale)))
            if low[bucket] < 0 || y[index] < y[low[bucket]] { low[bucket] = index }
            if high[bucket] < 0 || y[index] > y[high[bucket]] { high[bucket] = index }
        }
        keep += low.filter { $0 >= 0 } + high.filter { $0 >= 0 }
        var indices = Array(Set(keep)).sorted()
        indices = indices.filter { x[$0].isFinite && y[$0].isFinite }
        if indices.count > budget {
            // Only non-finite positions can overflow the budget; fall back to index buckets.
            return minMax(x: x, y: y, maxVertices: budget)
        }
        return (indices.map { x[$0] }, indices.map { y[$0] }, indices)
    }
}
