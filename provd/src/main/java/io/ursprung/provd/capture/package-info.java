/**
 * Stdout capture of a running process for the {@code CAPTURESOUT} rule action.
 *
 * <p>{@link io.ursprung.provd.capture.CaptureManager} decides per request: when the process's
 * stdout is a regular file it is followed from its current end ({@link
 * io.ursprung.provd.capture.FileFollower}), which costs the process nothing; otherwise the process
 * is seized with ptrace ({@link io.ursprung.provd.capture.PtraceTracer}) and the buffers of its
 * {@code write}/{@code writev} calls to fd 1 and 2 are copied out with {@code process_vm_readv}.
 * Either way the process sees exactly what it would see without provd: nothing is redirected, no
 * signal is swallowed, and the tracer detaches when asked, when the process exits, when the last
 * requester goes away, when provd stops, or when the tracer exceeds its CPU budget.
 */
package io.ursprung.provd.capture;
