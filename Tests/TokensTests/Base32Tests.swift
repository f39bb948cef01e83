import Testing

@testable import Tokens

@Suite struct Base32Tests {
    @Test func encodesTheRFC4648VectorsInLowerCase() {
        let vectors = [
            "": "", "f": "my", "fo": "mzxq", "foo": "mzxw6", "foob": "mzxw6yq", "fooba": "mzxw6ytb",
            "foobar": "mzxw6ytboi",
        ]
        for (plain, encoded) in vectors {
            #expect(Base32.encode(Array(plain.utf8)) == encoded)
            #expect(Base32.decode(encoded) == Array(plain.utf8))
            #expect(Base32.decode(encoded.uppercased()) == Array(plain.utf8))
        }
    }

    @Test func roundTripsEveryLengthAndByte() {
        for length in 0...40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ length &* 11) }
            let text = Base32.encode(bytes)
            #expect(text.count == Base32.encodedLength(ofBytes: length))
            #expect(Base32.decode(text) == bytes)
        }
        let all = (0...255).map(UInt8.init)
        #expect(Base32.decode(Base32.encode(all)) == all)
    }

    @Test func refusesWhatEncodeNeverMakes() {
        // Lengths no whole number of bytes gives.
        for text in ["m", "mzx", "mzxw6y"] { #expect(Base32.decode(text) == nil, "\(text)") }
        // Characters outside the alphabet, padding included.
        for text in ["my==", "m0", "m1", "m8", "m9", "m-", "m ", "mé"] {
            #expect(Base32.decode(text) == nil, "\(text)")
        }
        // Non-zero bits after the last byte: "my" is "f", "mz" would be "f" too if they were ignored.
        #expect(Base32.decode("mz") == nil)
        #expect(Base32.decode("mzxr") == nil)
    }
}
