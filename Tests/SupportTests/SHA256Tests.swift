import Testing
import Support

@Suite struct SHA256Tests {
    // Example vectors of FIPS 180-4 / NIST's "SHA-256 examples".
    @Test func standardVectors() {
        #expect(SHA256.hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex(Array(repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func incrementalEqualsOneShot() {
        var hasher = SHA256()
        hasher.update(Array("hello ".utf8))
        hasher.update(Array("world".utf8))
        #expect(hasher.finalizeHex() == SHA256.hex("hello world"))
    }

    /// Contiguous buffers take whole blocks straight from memory, other sequences go
    /// byte by byte: every way of feeding the same bytes gives the same digest.
    @Test func everyWayOfFeedingGivesTheSameDigest() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ $0 >> 3) }
        let oneShot = SHA256.hex(bytes)
        #expect(SHA256.hex(bytes.lazy.map { $0 }) == oneShot, "a sequence without contiguous storage")
        for pieceSize in [1, 7, 63, 64, 65, 130, 999] {
            var hasher = SHA256()
            var start = 0
            while start < bytes.count {
                let end = min(start + pieceSize, bytes.count)
                if (start / pieceSize) % 2 == 0 {
                    bytes[start..<end].withUnsafeBytes { hasher.update($0) }
                } else {
                    hasher.update(bytes[start..<end].lazy.map { $0 })
                }
                start = end
            }
            #expect(hasher.finalizeHex() == oneShot, "pieces of \(pieceSize)")
        }
    }
}
