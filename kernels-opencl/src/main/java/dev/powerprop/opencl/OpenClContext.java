package dev.powerprop.opencl;

import static org.jocl.CL.CL_KERNEL_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_PROGRAM_BUILD_LOG;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_program;

/**
 * One device's OpenCL context, in-order command queue and program (every {@code .cl} file under
 * {@code dev/powerprop/opencl/}, built once with the device's {@link TileConfig} as defines).
 * Allocates {@link DeviceBuffer}s and enqueues kernels; the operator classes ({@link ClGemm},
 * {@link ClPowerprop}, {@link ClSpmm}, ...) are thin, checked wrappers over {@link #run}.
 *
 * <p>Kernels run in enqueue order; {@link #finish()} waits for them. Thread-safe: setting a
 * kernel's arguments and enqueueing it happen under one lock.
 */
public final class OpenClContext implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("dev.powerprop.opencl");
    /** The program's sources, in build order; common.cl holds the macros the others use. */
    private static final List<String> SOURCES = List.of("common.cl", "vector_math.cl", "gemm.cl", "powerprop.cl", "spmm.cl",
            "elementwise.cl", "reduce.cl", "loss.cl", "sgd.cl", "adam.cl", "conv.cl", "pool.cl");

    private final DeviceInfo device;
    private final cl_context context;
    private final cl_command_queue queue;
    private final TileConfig config;
    private final CpuParity parity;
    private final cl_program program;
    private final Map<String, cl_kernel> kernels = new HashMap<>();
    private boolean closed;

    private OpenClContext(DeviceInfo device, TileConfig requested) {
        this.device = device;
        CL.setExceptionsEnabled(true);
        this.context = CL.clCreateContext(null, 1, new cl_device_id[] {device.device()}, null, null, null);
        this.queue = CL.clCreateCommandQueue(context, device.device(), 0, null);
        String[] sources = SOURCES.stream().map(OpenClContext::resource).toArray(String[]::new);
        this.parity = CpuParity.forDevice(device);
        // A GPU compiler may fit fewer work-items than the device maximum into the GEMM kernel
        // (registers): ask the built kernel, and rebuild with a smaller group if so.
        TileConfig tiles = requested;
        cl_program built = build(sources, tiles);
        while (kernelGroupLimit(built, "gemm") < (long) tiles.wx() * tiles.wy()) {
            TileConfig smaller = tiles.smallerGroup(device);
            if (smaller == null) {
                throw new IllegalStateException("the GEMM kernel cannot run even one work-item per group on "
                        + device.name());
            }
            CL.clReleaseProgram(built);
            tiles = smaller;
            built = build(sources, tiles);
        }
        this.config = tiles;
        this.program = built;
        LOG.info("OpenCL program built for " + device.name() + " with " + buildOptions(tiles) + "; "
                + parity.describe());
    }

    /**
     * A context on {@code device}.
     *
     * @throws OpenClUnavailableException when the device cannot be used
     * @throws IllegalStateException with the compiler's build log when the kernels do not build
     */
    public static OpenClContext create(DeviceInfo device) {
        return create(device, TileConfig.forDevice(device));
    }

    /** A context whose kernels have the shape {@code tiles} (tests run the GPU shape on a CPU device this way). */
    static OpenClContext create(DeviceInfo device, TileConfig tiles) {
        try {
            return new OpenClContext(device, tiles);
        } catch (CLException e) {
            throw new OpenClUnavailableException("could not create an OpenCL context on " + device.name(), e);
        }
    }

    /** A context on {@link OpenClDevices#choose}(null): the first GPU, else the first device. */
    public static OpenClContext createDefault() {
        return create(OpenClDevices.choose(null));
    }

    /** The device this context runs on. */
    public DeviceInfo device() {
        return device;
    }

    /** The tile sizes the program was built with. */
    public TileConfig config() {
        return config;
    }

    /** How closely the kernels follow the CPU backend on this device. */
    public CpuParity parity() {
        return parity;
    }

    /** A buffer of {@code length} floats, set to zero. */
    public DeviceBuffer floats(int length) {
        return new DeviceBuffer(this, length).zero();
    }

    /** A buffer of {@code length} ints, set to zero. */
    public DeviceBuffer ints(int length) {
        return floats(length);
    }

    /** A new buffer holding a copy of {@code host}. */
    public DeviceBuffer upload(float[] host) {
        return new DeviceBuffer(this, host.length).write(host);
    }

    /** A new buffer holding a copy of {@code host}. */
    public DeviceBuffer upload(int[] host) {
        return new DeviceBuffer(this, host.length).write(host);
    }

    /** Waits until every enqueued kernel and copy has finished. */
    public void finish() {
        CL.clFinish(queue);
    }

    cl_context clContext() {
        return context;
    }

    cl_command_queue queue() {
        return queue;
    }

    /**
     * Enqueues {@code kernel} over {@code global} work-items in groups of {@code local} (null:
     * the driver chooses). Arguments: {@link DeviceBuffer}, null (a NULL buffer), Integer, Float.
     */
    synchronized void run(String kernel, long[] global, long[] local, Object... args) {
        if (closed) {
            throw new IllegalStateException("this OpenClContext is closed");
        }
        for (long g : global) {
            if (g == 0) {
                return; // an empty range: OpenCL rejects a 0 global size
            }
        }
        cl_kernel k = kernels.computeIfAbsent(kernel, name -> CL.clCreateKernel(program, name, null));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case null -> CL.clSetKernelArg(k, i, Sizeof.cl_mem, null);
                case DeviceBuffer b -> CL.clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(b.mem()));
                case Integer v -> CL.clSetKernelArg(k, i, Sizeof.cl_int, Pointer.to(new int[] {v}));
                case Float v -> CL.clSetKernelArg(k, i, Sizeof.cl_float, Pointer.to(new float[] {v}));
                default -> throw new IllegalArgumentException("unsupported kernel argument " + args[i].getClass());
            }
        }
        CL.clEnqueueNDRangeKernel(queue, k, global.length, null, global, local, 0, null, null);
    }

    /** Enqueues a kernel written with FOR_OWNED over {@code count} elements (nothing for count 0). */
    void runOwned(String kernel, int count, Object... args) {
        if (count == 0) {
            return;
        }
        long items = Math.min(config.ownedItems(), roundUp(count, config.ownedGroup()));
        run(kernel, new long[] {items}, new long[] {config.ownedGroup()}, args);
    }

    static long roundUp(long value, long multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }

    private cl_program build(String[] sources, TileConfig tiles) {
        cl_program p = CL.clCreateProgramWithSource(context, sources.length, sources, null, null);
        try {
            CL.clBuildProgram(p, 1, new cl_device_id[] {device.device()}, buildOptions(tiles), null, null);
        } catch (CLException e) {
            String log = buildLog(p);
            CL.clReleaseProgram(p);
            throw new IllegalStateException("OpenCL program failed to build on " + device.name() + " with "
                    + buildOptions(tiles) + "; build log:\n" + log, e);
        }
        return p;
    }

    private String buildOptions(TileConfig tiles) {
        return tiles.buildOptions() + " " + parity.buildOptions();
    }

    private String buildLog(cl_program p) {
        long[] size = new long[1];
        CL.clGetProgramBuildInfo(p, device.device(), CL_PROGRAM_BUILD_LOG, 0, null, size);
        byte[] bytes = new byte[(int) size[0]];
        CL.clGetProgramBuildInfo(p, device.device(), CL_PROGRAM_BUILD_LOG, bytes.length, Pointer.to(bytes), null);
        return new String(bytes, StandardCharsets.UTF_8).trim();
    }

    private long kernelGroupLimit(cl_program p, String name) {
        cl_kernel k = CL.clCreateKernel(p, name, null);
        try {
            long[] size = new long[1];
            CL.clGetKernelWorkGroupInfo(k, device.device(), CL_KERNEL_WORK_GROUP_SIZE, Sizeof.size_t,
                    Pointer.to(size), null);
            return size[0];
        } finally {
            CL.clReleaseKernel(k);
        }
    }

    private static String resource(String name) {
        try (InputStream in = OpenClContext.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("kernel source " + name + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the queue, then releases kernels, program, queue and context. Buffers are closed by their owners. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        CL.clFinish(queue);
        kernels.values().forEach(CL::clReleaseKernel);
        kernels.clear();
        CL.clReleaseProgram(program);
        CL.clReleaseCommandQueue(queue);
        CL.clReleaseContext(context);
    }
}
