package dev.powerprop.nn.checkpoint;

import dev.powerprop.engine.DType;
import dev.powerprop.engine.Shape;
import dev.powerprop.engine.Tensor;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * One named array of a checkpoint: its element type, its shape and its values, held as a
 * {@code float[]}, {@code double[]}, {@code int[]} or {@code long[]} to match the type.
 *
 * <p>Immutable: the factories copy the values in and the accessors copy them out, so an entry
 * never changes under a writer. Two entries are equal when name, type, shape and values are
 * (floats compared as {@link Arrays#equals(float[], float[])} does: NaN equals NaN, and 0.0
 * differs from -0.0).
 *
 * <pre>{@code
 * TensorEntry w = TensorEntry.of("fc1.weight", layer.weight());   // F32 or F64
 * TensorEntry idx = TensorEntry.ofInts("fc1.col_idx", colIdx, colIdx.length);
 * Tensor back = w.toTensor();
 * }</pre>
 */
public final class TensorEntry {
    private final String name;
    private final ElementType dtype;
    private final int[] shape;
    /** A float[], double[], int[] or long[] matching {@link #dtype}. */
    private final Object values;

    private TensorEntry(String name, ElementType dtype, int[] shape, Object values, int length) {
        Objects.requireNonNull(name, "name");
        if (name.equals(SafeTensors.METADATA_KEY)) {
            throw new IllegalArgumentException("\"" + SafeTensors.METADATA_KEY
                    + "\" is reserved for metadata in safetensors and cannot name a tensor");
        }
        Shape s = Shape.of(shape);
        if (s.numel() != length) {
            throw new IllegalArgumentException("entry " + name + ": " + length
                    + " values but shape " + s + " needs " + s.numel());
        }
        this.name = name;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.values = values;
    }

    /** An F32 or F64 entry holding a copy of the tensor's values, with its shape. */
    public static TensorEntry of(String name, Tensor tensor) {
        int[] dims = tensor.shape().dims();
        return tensor.dtype() == DType.F32 ? ofFloats(name, tensor.data(), dims)
                : ofDoubles(name, tensor.doubles(), dims);
    }

    /** An F32 entry (the values are copied). */
    public static TensorEntry ofFloats(String name, float[] values, int... shape) {
        return new TensorEntry(name, ElementType.F32, shape, values.clone(), values.length);
    }

    /** An F64 entry (the values are copied). */
    public static TensorEntry ofDoubles(String name, double[] values, int... shape) {
        return new TensorEntry(name, ElementType.F64, shape, values.clone(), values.length);
    }

    /** An I32 entry (the values are copied). */
    public static TensorEntry ofInts(String name, int[] values, int... shape) {
        return new TensorEntry(name, ElementType.I32, shape, values.clone(), values.length);
    }

    /** An I64 entry (the values are copied). */
    public static TensorEntry ofLongs(String name, long[] values, int... shape) {
        return new TensorEntry(name, ElementType.I64, shape, values.clone(), values.length);
    }

    public String name() {
        return name;
    }

    public ElementType dtype() {
        return dtype;
    }

    /** The dimensions (a copy); empty for a scalar. */
    public int[] shape() {
        return shape.clone();
    }

    /** The number of elements (1 for a scalar, 0 if a dimension is 0). */
    public int numel() {
        return switch (dtype) {
            case F32 -> ((float[]) values).length;
            case F64 -> ((double[]) values).length;
            case I32 -> ((int[]) values).length;
            case I64 -> ((long[]) values).length;
        };
    }

    /** The size of the values in the file. */
    public long byteLength() {
        return (long) numel() * dtype.byteSize();
    }

    /** The values of an F32 entry (a copy). */
    public float[] floats() {
        return ((float[]) valuesOf(ElementType.F32)).clone();
    }

    /** The values of an F64 entry (a copy). */
    public double[] doubles() {
        return ((double[]) valuesOf(ElementType.F64)).clone();
    }

    /** The values of an I32 entry (a copy). */
    public int[] ints() {
        return ((int[]) valuesOf(ElementType.I32)).clone();
    }

    /** The values of an I64 entry (a copy). */
    public long[] longs() {
        return ((long[]) valuesOf(ElementType.I64)).clone();
    }

    /** An F32 or F64 entry as a new tensor of the same type and shape. */
    public Tensor toTensor() {
        return switch (dtype) {
            case F32 -> Tensor.of(floats(), shape);
            case F64 -> Tensor.ofDoubles(doubles(), shape);
            case I32, I64 -> throw new IllegalStateException("entry " + name + " holds " + dtype
                    + " integers; read them with " + (dtype == ElementType.I32 ? "ints()" : "longs()")
                    + ", a Tensor holds F32 or F64");
        };
    }

    private Object valuesOf(ElementType wanted) {
        if (dtype != wanted) {
            throw new IllegalStateException("entry " + name + " holds " + dtype + ", not " + wanted);
        }
        return values;
    }

    /** Puts elements {@code [from, from + count)} into {@code out}, little-endian. */
    void encode(int from, int count, ByteBuffer out) {
        switch (dtype) {
            case F32 -> out.asFloatBuffer().put((float[]) values, from, count);
            case F64 -> out.asDoubleBuffer().put((double[]) values, from, count);
            case I32 -> out.asIntBuffer().put((int[]) values, from, count);
            case I64 -> out.asLongBuffer().put((long[]) values, from, count);
        }
        out.position(out.position() + count * dtype.byteSize());
    }

    /** An entry of the given type and shape whose values the caller fills by {@link #decode}. */
    static TensorEntry allocate(String name, ElementType dtype, int[] shape) {
        int n = Shape.of(shape).numel();
        Object values = switch (dtype) {
            case F32 -> new float[n];
            case F64 -> new double[n];
            case I32 -> new int[n];
            case I64 -> new long[n];
        };
        return new TensorEntry(name, dtype, shape, values, n);
    }

    /** Fills elements {@code [from, from + count)} from {@code in}, little-endian; reader only. */
    void decode(ByteBuffer in, int from, int count) {
        switch (dtype) {
            case F32 -> in.asFloatBuffer().get((float[]) values, from, count);
            case F64 -> in.asDoubleBuffer().get((double[]) values, from, count);
            case I32 -> in.asIntBuffer().get((int[]) values, from, count);
            case I64 -> in.asLongBuffer().get((long[]) values, from, count);
        }
        in.position(in.position() + count * dtype.byteSize());
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TensorEntry e) || !name.equals(e.name) || dtype != e.dtype
                || !Arrays.equals(shape, e.shape)) {
            return false;
        }
        return switch (dtype) {
            case F32 -> Arrays.equals((float[]) values, (float[]) e.values);
            case F64 -> Arrays.equals((double[]) values, (double[]) e.values);
            case I32 -> Arrays.equals((int[]) values, (int[]) e.values);
            case I64 -> Arrays.equals((long[]) values, (long[]) e.values);
        };
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return "TensorEntry[" + name + " " + dtype + " " + Arrays.toString(shape) + "]";
    }
}
