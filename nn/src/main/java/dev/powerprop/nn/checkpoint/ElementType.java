package dev.powerprop.nn.checkpoint;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The element types ("dtype" in a safetensors header) that checkpoints read and write: floats
 * for weights, and integers for things like CSR indices and step counters.
 *
 * <p>Declared in the order of the safetensors library's own {@code Dtype} enum: the writer lays
 * tensors out by that order, descending, so 8-byte types come first and stay 8-byte aligned,
 * and our files come out byte for byte like the Python library's.
 */
public enum ElementType {
    /** 32-bit signed integer, little-endian. */
    I32(4),
    /** 32-bit IEEE float, little-endian. */
    F32(4),
    /** 64-bit IEEE float, little-endian. */
    F64(8),
    /** 64-bit signed integer, little-endian. */
    I64(8);

    /** Valid safetensors dtypes we do not read, so the error can say "unsupported", not "unknown". */
    private static final Set<String> OTHER_SAFETENSORS_DTYPES = Set.of(
            "BOOL", "U8", "I8", "U16", "I16", "F16", "BF16", "U32", "U64", "F8_E5M2", "F8_E4M3",
            "F8_E8M0", "F4", "F6_E2M3", "F6_E3M2");

    private final int byteSize;

    ElementType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /**
     * The type named {@code dtype} in a header.
     *
     * @throws IllegalArgumentException saying whether the name is a safetensors dtype we do not
     *     support or no dtype at all, and listing the supported ones
     */
    public static ElementType parse(String dtype) {
        for (ElementType t : values()) {
            if (t.name().equals(dtype)) {
                return t;
            }
        }
        String supported = Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
        if (OTHER_SAFETENSORS_DTYPES.contains(dtype)) {
            throw new IllegalArgumentException("dtype \"" + dtype
                    + "\" is a safetensors dtype this library does not support (supported: "
                    + supported + ")");
        }
        throw new IllegalArgumentException("unknown dtype \"" + dtype + "\" (supported: "
                + supported + ")");
    }
}
