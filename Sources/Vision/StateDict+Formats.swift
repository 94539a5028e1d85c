/// The weights files a state dict is read from, told apart by their content.
public enum WeightsFormat: String, Sendable {
    /// safetensors (`SafeTensors`).
    case safeTensors = "safetensors"
    /// What `torch.save` writes, zip or legacy (`TorchCheckpoint`).
    case pytorch = "PyTorch checkpoint"

    /// The format of a file starting with `bytes`: PyTorch for a zip archive or a
    /// pickle (`\x80` and a protocol 2-5), unless the bytes also read as a safetensors
    /// header (an 8-byte length whose high half is zero, then `{`), which a length of
    /// 0x280 bytes would make start with `\x80\x02`.
    public init(detecting bytes: [UInt8]) {
        let safeTensorsHeader = bytes.count > 8 && bytes[4..<8].allSatisfy { $0 == 0 } && bytes[8] == UInt8(ascii: "{")
        self = TorchCheckpoint.recognises(bytes) && !safeTensorsHeader ? .pytorch : .safeTensors
    }
}

extension StateDict {
    /// Every tensor of a safetensors file or a PyTorch checkpoint, converted to
    /// float32, in file order; the format is recognised from the bytes, whatever the
    /// file's extension. Errors are `SafeTensorsError` or `TorchCheckpointError`,
    /// naming `source`.
    public init(weightsFile bytes: [UInt8], source: String) throws {
        switch WeightsFormat(detecting: bytes) {
        case .safeTensors: try self.init(SafeTensors(bytes: bytes, source: source))
        case .pytorch: self.init(entries: try TorchCheckpoint(bytes: bytes, source: source).entries)
        }
    }
}
