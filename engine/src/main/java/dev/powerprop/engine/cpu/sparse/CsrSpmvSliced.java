package dev.powerprop.engine.cpu.sparse;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sliced SpMV kernel over a {@link SlicedEll} layout: 32 rows in two vectors, x read from
 * registers by permutes instead of from memory by column. Needs 512-bit vectors (16 float lanes
 * and the two-register permute {@code vpermi2d}); only loaded when {@link CsrSpmv} chose it.
 *
 * <p>A step's two FMAs feed the two vectors' sums, so they do not wait for each other; each row's
 * order of additions depends on the layout only, never on the thread count.
 */
final class CsrSpmvSliced {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    private static final VectorSpecies<Byte> SLOT_BYTES = ByteVector.SPECIES_128;
    private static final int L = SlicedEll.VECTOR_LANES;

    private CsrSpmvSliced() {}

    /**
     * Rows of slices {@code [s0, s1)}: {@code y = A x (+ bias) (+ y if accumulate)}, with x as
     * {@link SlicedEll#blockSlots}.
     */
    static void slices(int s0, int s1, SlicedEll a, float[] xSlots, float[] y, float[] bias, boolean accumulate) {
        int blocks = a.blocks;
        int[] stepStart = a.stepStart;
        float[] values = a.laneValues;
        byte[] slots = a.laneSlots;
        for (int s = s0; s < s1; s++) {
            FloatVector low = FloatVector.zero(F); // rows 32 s .. 32 s + 15
            FloatVector high = FloatVector.zero(F); // rows 32 s + 16 .. 32 s + 31
            for (int b = 0; b < blocks; b++) {
                int x0 = b * SlicedEll.BLOCK_SLOTS;
                IntVector slots0to15 = FloatVector.fromArray(F, xSlots, x0).reinterpretAsInts();
                IntVector slots16to31 = FloatVector.fromArray(F, xSlots, x0 + L).reinterpretAsInts();
                IntVector slots32to47 = FloatVector.fromArray(F, xSlots, x0 + 2 * L).reinterpretAsInts();
                IntVector slots48to63 = FloatVector.fromArray(F, xSlots, x0 + 3 * L).reinterpretAsInts();
                int end = stepStart[s * blocks + b + 1];
                for (int t = stepStart[s * blocks + b]; t < end; t++) {
                    int lane = t * SlicedEll.SLICE_ROWS;
                    low = FloatVector.fromArray(F, values, lane).fma(
                            xAtSlots(slots, lane, slots0to15, slots16to31, slots32to47, slots48to63), low);
                    high = FloatVector.fromArray(F, values, lane + L).fma(
                            xAtSlots(slots, lane + L, slots0to15, slots16to31, slots32to47, slots48to63), high);
                }
            }
            store(low, s * SlicedEll.SLICE_ROWS, a.rows, y, bias, accumulate);
            store(high, s * SlicedEll.SLICE_ROWS + L, a.rows, y, bias, accumulate);
        }
    }

    /** Rows {@code [r0, r0 + 16)} of y (those below rows): the sums, plus bias, plus y if accumulating. */
    private static void store(FloatVector sum, int r0, int rows, float[] y, float[] bias, boolean accumulate) {
        VectorMask<Float> rowsHere = F.indexInRange(r0, rows);
        if (bias != null) {
            sum = sum.add(FloatVector.fromArray(F, bias, r0, rowsHere));
        }
        if (accumulate) {
            sum = FloatVector.fromArray(F, y, r0, rowsHere).add(sum);
        }
        sum.intoArray(y, r0, rowsHere);
    }

    /**
     * Lane i gets x's entry at slot {@code slots[offset + i]} of the block held in the four
     * vectors: {@code selectFrom} of two vectors reads slot mod 32, and the blend takes the upper
     * pair's for slots 32-63.
     */
    private static FloatVector xAtSlots(byte[] slots, int offset, IntVector slots0to15, IntVector slots16to31,
                                        IntVector slots32to47, IntVector slots48to63) {
        IntVector slot = (IntVector) ByteVector.fromArray(SLOT_BYTES, slots, offset)
                .convertShape(VectorOperators.B2I, I, 0);
        IntVector lower = slot.selectFrom(slots0to15, slots16to31);
        IntVector upper = slot.selectFrom(slots32to47, slots48to63);
        return lower.blend(upper, slot.compare(VectorOperators.GE, 2 * L)).reinterpretAsFloats();
    }
}
