package dev.powerprop.engine.autograd;

import dev.powerprop.engine.Tensor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Reverse-mode differentiation: a topological order of the graph, walked once from the end. */
public final class Backprop {
    private Backprop() {}

    /**
     * Seeds {@code root.grad} with {@code seed} and propagates to every tensor that requires a
     * gradient. Leaves (parameters, inputs) keep their accumulated gradient; intermediate
     * gradients are dropped once used, so memory does not grow with the graph's depth.
     */
    public static void run(Tensor root, Tensor seed) {
        List<Tensor> order = topologicalOrder(root);
        root.gradBuffer().backend().axpy(1.0, seed, root.gradBuffer());
        for (int i = order.size() - 1; i >= 0; i--) {
            Tensor t = order.get(i);
            Op op = t.creator();
            Tensor g = t.grad();
            if (op == null || g == null) {
                continue;
            }
            op.checkInputsUnchanged();
            op.backward(g);
            t.dropGrad();
        }
    }

    /** Every tensor reachable from {@code root} through creators, inputs before outputs. */
    static List<Tensor> topologicalOrder(Tensor root) {
        // Iterative post-order DFS: a deep graph (a long training unroll) must not overflow the stack.
        List<Tensor> order = new ArrayList<>();
        Map<Tensor, Boolean> visited = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        visited.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Tensor[] inputs = t.creator() == null ? new Tensor[0] : t.creator().inputs();
            if (next < inputs.length) {
                frame[1] = next + 1;
                Tensor in = inputs[next];
                if (in != null && in.requiresGrad() && visited.put(in, Boolean.TRUE) == null) {
                    stack.push(new Object[] {in, 0});
                }
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return Collections.unmodifiableList(order);
    }
}
