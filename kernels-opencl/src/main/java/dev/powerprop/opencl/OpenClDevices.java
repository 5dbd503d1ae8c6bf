package dev.powerprop.opencl;

import static org.jocl.CL.CL_DEVICE_EXTENSIONS;
import static org.jocl.CL.CL_DEVICE_GLOBAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_LOCAL_MEM_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_COMPUTE_UNITS;
import static org.jocl.CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE;
import static org.jocl.CL.CL_DEVICE_MAX_WORK_GROUP_SIZE;
import static org.jocl.CL.CL_DEVICE_NAME;
import static org.jocl.CL.CL_DEVICE_PREFERRED_VECTOR_WIDTH_FLOAT;
import static org.jocl.CL.CL_DEVICE_SINGLE_FP_CONFIG;
import static org.jocl.CL.CL_DEVICE_TYPE;
import static org.jocl.CL.CL_DEVICE_TYPE_ALL;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.jocl.CL.CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT;
import static org.jocl.CL.CL_PLATFORM_NAME;
import static org.jocl.CL.CL_PLATFORM_VERSION;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * Finds OpenCL devices and chooses one. Nothing here touches JOCL until a method is called, so
 * loading this class never fails; every failure to reach a device becomes an
 * {@link OpenClUnavailableException} with the reason.
 */
public final class OpenClDevices {
    private static final Logger LOG = Logger.getLogger("dev.powerprop.opencl");

    private OpenClDevices() {}

    /**
     * Every device of every platform, platforms in the ICD loader's order.
     *
     * @throws OpenClUnavailableException when JOCL cannot load or no platform exists
     */
    public static List<DeviceInfo> list() {
        try {
            CL.setExceptionsEnabled(true);
            int[] platformCount = new int[1];
            CL.clGetPlatformIDs(0, null, platformCount);
            if (platformCount[0] == 0) {
                throw new OpenClUnavailableException("no OpenCL platform (is an ICD such as pocl-opencl-icd installed?)");
            }
            cl_platform_id[] platforms = new cl_platform_id[platformCount[0]];
            CL.clGetPlatformIDs(platforms.length, platforms, null);
            List<DeviceInfo> devices = new ArrayList<>();
            for (cl_platform_id platform : platforms) {
                int[] deviceCount = new int[1];
                try {
                    CL.clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, null, deviceCount);
                } catch (CLException noDevices) {
                    continue; // CL_DEVICE_NOT_FOUND: a platform without devices
                }
                cl_device_id[] ids = new cl_device_id[deviceCount[0]];
                CL.clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, ids.length, ids, null);
                String platformName = platformString(platform, CL_PLATFORM_NAME);
                for (cl_device_id id : ids) {
                    devices.add(new DeviceInfo(devices.size(), platform, id, platformName,
                            deviceString(id, CL_DEVICE_NAME),
                            (deviceLong(id, CL_DEVICE_TYPE) & CL_DEVICE_TYPE_GPU) != 0,
                            (int) deviceInt(id, CL_DEVICE_MAX_COMPUTE_UNITS),
                            deviceSize(id, CL_DEVICE_MAX_WORK_GROUP_SIZE),
                            deviceLong(id, CL_DEVICE_LOCAL_MEM_SIZE),
                            deviceLong(id, CL_DEVICE_GLOBAL_MEM_SIZE),
                            deviceLong(id, CL_DEVICE_MAX_MEM_ALLOC_SIZE),
                            (int) deviceInt(id, CL_DEVICE_PREFERRED_VECTOR_WIDTH_FLOAT),
                            (deviceLong(id, CL_DEVICE_SINGLE_FP_CONFIG) & CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0,
                            List.of(deviceString(id, CL_DEVICE_EXTENSIONS).split(" ")).contains("cl_khr_fp64")));
                }
            }
            if (devices.isEmpty()) {
                throw new OpenClUnavailableException("OpenCL platforms exist but none has a device");
            }
            return devices;
        } catch (LinkageError e) {
            // UnsatisfiedLinkError, or NoClassDefFoundError after a failed static initialiser.
            throw new OpenClUnavailableException("the JOCL native library could not be loaded", e);
        } catch (CLException e) {
            // CL_PLATFORM_NOT_FOUND_KHR (-1001) when the ICD loader finds no driver.
            throw new OpenClUnavailableException("no OpenCL platform (is an ICD such as pocl-opencl-icd installed?)", e);
        }
    }

    /**
     * The device to use: {@code index} into {@link #list()} when not null, else the first GPU,
     * else the first device. Logs one line saying which and why.
     *
     * @throws OpenClUnavailableException when no device exists or the index is out of range
     */
    public static DeviceInfo choose(Integer index) {
        List<DeviceInfo> devices = list();
        DeviceInfo chosen;
        String why;
        if (index != null) {
            if (index < 0 || index >= devices.size()) {
                throw new OpenClUnavailableException("OpenCL device index " + index + " is out of range; there are "
                        + devices.size() + " devices: " + devices.stream().map(DeviceInfo::describe).toList());
            }
            chosen = devices.get(index);
            why = "requested by index";
        } else {
            chosen = devices.stream().filter(DeviceInfo::gpu).findFirst().orElse(devices.get(0));
            why = chosen.gpu() ? "first GPU" : "no GPU found, first device";
        }
        LOG.info("OpenCL device " + chosen.describe() + " (" + why + ", " + devices.size() + " devices found)");
        return chosen;
    }

    /**
     * The platform's implementation and version, e.g. "PoCL 3.1+debian" from
     * "OpenCL 3.0 PoCL 3.1+debian  Linux, ..." (the text after the OpenCL version, to the first
     * comma or double space).
     */
    static String platformVersion(DeviceInfo device) {
        String v = platformString(device.platform(), CL_PLATFORM_VERSION);
        if (v.startsWith("OpenCL ")) {
            int space = v.indexOf(' ', "OpenCL ".length());
            v = space < 0 ? v : v.substring(space + 1);
        }
        for (String end : new String[] {"  ", ","}) {
            int at = v.indexOf(end);
            v = at < 0 ? v : v.substring(0, at);
        }
        v = v.trim();
        return v.isEmpty() ? device.platformName() : v;
    }

    private static String platformString(cl_platform_id platform, int param) {
        long[] size = new long[1];
        CL.clGetPlatformInfo(platform, param, 0, null, size);
        byte[] bytes = new byte[(int) size[0]];
        CL.clGetPlatformInfo(platform, param, bytes.length, Pointer.to(bytes), null);
        return cString(bytes);
    }

    private static String deviceString(cl_device_id device, int param) {
        long[] size = new long[1];
        CL.clGetDeviceInfo(device, param, 0, null, size);
        byte[] bytes = new byte[(int) size[0]];
        CL.clGetDeviceInfo(device, param, bytes.length, Pointer.to(bytes), null);
        return cString(bytes);
    }

    private static String cString(byte[] bytes) {
        int length = bytes.length;
        while (length > 0 && bytes[length - 1] == 0) {
            length--;
        }
        return new String(bytes, 0, length, java.nio.charset.StandardCharsets.UTF_8).trim();
    }

    private static long deviceInt(cl_device_id device, int param) {
        int[] value = new int[1];
        CL.clGetDeviceInfo(device, param, Sizeof.cl_uint, Pointer.to(value), null);
        return Integer.toUnsignedLong(value[0]);
    }

    private static long deviceLong(cl_device_id device, int param) {
        long[] value = new long[1];
        CL.clGetDeviceInfo(device, param, Sizeof.cl_ulong, Pointer.to(value), null);
        return value[0];
    }

    private static long deviceSize(cl_device_id device, int param) {
        long[] value = new long[1];
        CL.clGetDeviceInfo(device, param, Sizeof.size_t, Pointer.to(value), null);
        return value[0];
    }
}
