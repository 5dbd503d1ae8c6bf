/*
 * Times CLBlast's SGEMM (CLBlastSgemm) on device-resident buffers: the baseline that
 * kernels-opencl's GEMM is compared with in bench/RESULTS.md ("OpenCL" section).
 *
 * One timed op is one n x n x n product C = A * B (row-major, no transposes, alpha 1, beta 0),
 * enqueued and finished with clFinish, as OpenClBench#gemm times ours. Prints the best of
 * `reps` runs as GFLOP/s = 2 n^3 / time, after one untimed warm-up run (which also pays for
 * CLBlast compiling its kernels for this device).
 *
 * Usage: ./sgemm_bench [device-index] [reps] [n ...]    (defaults: 0, 10, 512 1024)
 * The device index counts the devices of all platforms in order, as OpenClDevices does.
 */
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#include <clblast_c.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define CHECK(call) do { cl_int err_ = (call); if (err_ != CL_SUCCESS) { \
    fprintf(stderr, "%s failed with OpenCL error %d (line %d)\n", #call, err_, __LINE__); exit(1); } } while (0)

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* The index-th device counting across every platform, so the numbering matches the Java side. */
static cl_device_id pick_device(int index, cl_platform_id *platform_out) {
    cl_platform_id platforms[16];
    cl_uint platform_count = 0;
    CHECK(clGetPlatformIDs(16, platforms, &platform_count));
    for (cl_uint p = 0; p < platform_count; p++) {
        cl_device_id devices[16];
        cl_uint device_count = 0;
        if (clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, 16, devices, &device_count) != CL_SUCCESS) {
            continue;
        }
        if (index < (int) device_count) {
            *platform_out = platforms[p];
            return devices[index];
        }
        index -= device_count;
    }
    fprintf(stderr, "no OpenCL device with that index\n");
    exit(1);
}

static void fill(float *x, size_t count, unsigned seed) {
    srand(seed);
    for (size_t i = 0; i < count; i++) {
        x[i] = (float) rand() / RAND_MAX - 0.5f;
    }
}

int main(int argc, char **argv) {
    int device_index = argc > 1 ? atoi(argv[1]) : 0;
    int reps = argc > 2 ? atoi(argv[2]) : 10;
    int default_sizes[] = {512, 1024};
    int size_count = argc > 3 ? argc - 3 : 2;

    cl_platform_id platform;
    cl_device_id device = pick_device(device_index, &platform);
    char name[256];
    CHECK(clGetDeviceInfo(device, CL_DEVICE_NAME, sizeof name, name, NULL));
    printf("device: %s\n", name);

    cl_int err;
    cl_context context = clCreateContext(NULL, 1, &device, NULL, NULL, &err);
    CHECK(err);
    cl_command_queue queue = clCreateCommandQueue(context, device, 0, &err);
    CHECK(err);

    for (int s = 0; s < size_count; s++) {
        int n = argc > 3 ? atoi(argv[3 + s]) : default_sizes[s];
        size_t count = (size_t) n * n;
        float *host_a = malloc(count * sizeof(float));
        float *host_b = malloc(count * sizeof(float));
        float *host_c = malloc(count * sizeof(float));
        fill(host_a, count, 1);
        fill(host_b, count, 2);
        cl_mem a = clCreateBuffer(context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, count * sizeof(float), host_a, &err);
        CHECK(err);
        cl_mem b = clCreateBuffer(context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, count * sizeof(float), host_b, &err);
        CHECK(err);
        cl_mem c = clCreateBuffer(context, CL_MEM_READ_WRITE, count * sizeof(float), NULL, &err);
        CHECK(err);

        double best = 1e30;
        for (int r = 0; r <= reps; r++) {
            double start = seconds();
            CLBlastStatusCode status = CLBlastSgemm(CLBlastLayoutRowMajor, CLBlastTransposeNo, CLBlastTransposeNo,
                    n, n, n, 1.0f, a, 0, n, b, 0, n, 0.0f, c, 0, n, &queue, NULL);
            if (status != CLBlastSuccess) {
                fprintf(stderr, "CLBlastSgemm failed with status %d\n", (int) status);
                return 1;
            }
            CHECK(clFinish(queue));
            double elapsed = seconds() - start;
            if (r > 0 && elapsed < best) {  /* run 0 is the warm-up */
                best = elapsed;
            }
        }

        /* A benchmark that cannot measure a wrong answer: spot-check entries against a double dot product. */
        CHECK(clEnqueueReadBuffer(queue, c, CL_TRUE, 0, count * sizeof(float), host_c, 0, NULL, NULL));
        double worst = 0;
        for (int t = 0; t < 32; t++) {
            int i = (t * 7919) % n, j = (t * 104729) % n;
            double dot = 0;
            for (int p = 0; p < n; p++) {
                dot += (double) host_a[(size_t) i * n + p] * host_b[(size_t) p * n + j];
            }
            worst = fmax(worst, fabs(dot - host_c[(size_t) i * n + j]));
        }
        if (worst > 1e-3) {
            fprintf(stderr, "CLBlast result is wrong: max abs error %g\n", worst);
            return 1;
        }
        printf("clblast sgemm n=%d best-of-%d %.3f ms %.2f GFLOP/s\n", n, reps, best * 1e3, 2.0 * n * n * n / best * 1e-9);

        clReleaseMemObject(a);
        clReleaseMemObject(b);
        clReleaseMemObject(c);
        free(host_a);
        free(host_b);
        free(host_c);
    }
    clReleaseCommandQueue(queue);
    clReleaseContext(context);
    return 0;
}
