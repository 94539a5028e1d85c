/// The geometry of a square convolution or pooling window over one image plane.
struct ConvolutionGeometry: Equatable {
    var channels: Int
    var height: Int
    var width: Int
    var kernel: Int
    var stride: Int
    var padding: Int

    var outputHeight: Int { (height + 2 * padding - kernel) / stride + 1 }
    var outputWidth: Int { (width + 2 * padding - kernel) / stride + 1 }
    /// Output positions per image plane (`P = Ho·Wo`).
    var outputPositions: Int { outputHeight * outputWidth }
    /// Rows of the column matrix (`K = C·k·k`).
    var patchSize: Int { channels * kernel * kernel }
    /// Elements of one input plane (`H·W`).
    var plane: Int { height * width }
    /// A 1x1 stride-1 unpadded window: the column matrix is the input itself, regrouped.
    var isPointwise: Bool { kernel == 1 && stride == 1 && padding == 0 }

    /// The output indices `o` (rows or columns) whose input index `o·s - p + offset` lies
    /// inside `0..<inputExtent`, for kernel offset `offset` along that axis.
    func validOutputRange(offset: Int, inputExtent: Int, outputExtent: Int) -> Range<Int> {
        // o·s ≥ p - offset  and  o·s ≤ inputExtent - 1 + p - offset
        let low = max(0, ceilDivide(padding - offset, stride))
        let high = min(outputExtent, floorDivide(inputExtent - 1 + padding - offset, stride) + 1)
        return low..<max(low, high)
    }

    /// The output rows that read input rows for kernel row `i`.
    func validRows(kernelRow i: Int) -> Range<Int> {
        validOutputRange(offset: i, inputExtent: height, outputExtent: outputHeight)
    }

    /// The output columns that read input columns for kernel column `j`.
    func validColumns(kernelColumn j: Int) -> Range<Int> {
        validOutputRange(offset: j, inputExtent: width, outputExtent: outputWidth)
    }
}

@inline(__always) private func floorDivide(_ a: Int, _ b: Int) -> Int {
    a >= 0 ? a / b : -((-a + b - 1) / b)
}

@inline(__always) private func ceilDivide(_ a: Int, _ b: Int) -> Int {
    -floorDivide(-a, b)
}

extension ConvolutionGeometry {
    /// A 3x3 window with stride 1 and padding 1, which `Winograd` can compute.
    var suitsWinograd: Bool { kernel == 3 && stride == 1 && padding == 1 }
}

extension ConvolutionGeometry {
    /// Output positions that kernel tap `(i, j)` reaches inside the input (the others
    /// read padding).
    func reach(kernelRow i: Int, kernelColumn j: Int) -> Int { validRows(kernelRow: i).count * validColumns(kernelColumn: j).count }

    /// Whether a quarter or more of im2col's multiplications would be by padding, as on
    /// planes hardly larger than the kernel (ResNet18's last stage at 64x64: 3x3 windows
    /// over 2x2 planes, 16 of 36 taps in the plane): such a convolution multiplies tap by
    /// tap over the positions each reaches (ConvolutionPass+Taps.swift). Pointwise
    /// kernels never read padding.
    var suitsTapProducts: Bool {
        guard kernel > 1 else { return false }
        var reached = 0
        for i in 0..<kernel {
            for j in 0..<kernel { reached += reach(kernelRow: i, kernelColumn: j) }
        }
        return 4 * reached <= 3 * kernel * kernel * outputPositions
    }
}
