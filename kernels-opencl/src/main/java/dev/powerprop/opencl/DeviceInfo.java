package dev.powerprop.opencl;

import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * One OpenCL device and the limits the kernels are sized from.
 *
 * @param index                 position in {@link OpenClDevices#list()} (platforms in order, then their devices)
 * @param platform              the platform handle
 * @param device                the device handle
 * @param platformName          e.g. "Portable Computing Language"
 * @param name                  e.g. "pthread-haswell-AMD EPYC"
 * @param gpu                   whether the device type includes GPU (else treated as a CPU-like device)
 * @param computeUnits          CL_DEVICE_MAX_COMPUTE_UNITS
 * @param maxWorkGroupSize      CL_DEVICE_MAX_WORK_GROUP_SIZE
 * @param localMemBytes         CL_DEVICE_LOCAL_MEM_SIZE
 * @param globalMemBytes        CL_DEVICE_GLOBAL_MEM_SIZE
 * @param maxAllocBytes         CL_DEVICE_MAX_MEM_ALLOC_SIZE
 * @param preferredFloatVector  CL_DEVICE_PREFERRED_VECTOR_WIDTH_FLOAT (8 with AVX2, 16 with AVX-512)
 * @param correctlyRoundedDivideSqrt whether CL_DEVICE_SINGLE_FP_CONFIG has
 *                              CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT (float / and sqrt can be built
 *                              correctly rounded, as Java's are; by default OpenCL allows 2.5 and 3 ulp)
 * @param fp64                  whether the device has doubles (cl_khr_fp64)
 */
public record DeviceInfo(int index, cl_platform_id platform, cl_device_id device, String platformName, String name,
                         boolean gpu, int computeUnits, long maxWorkGroupSize, long localMemBytes,
                         long globalMemBytes, long maxAllocBytes, int preferredFloatVector,
                         boolean correctlyRoundedDivideSqrt, boolean fp64) {

    /** One line for logs and listings. */
    public String describe() {
        return String.format("#%d %s [%s] on '%s': %d compute units, max work-group %d, local mem %d KiB, "
                        + "global mem %d MiB, float vector %d",
                index, name, gpu ? "GPU" : "CPU", platformName, computeUnits, maxWorkGroupSize,
                localMemBytes >> 10, globalMemBytes >> 20, preferredFloatVector);
    }
}
