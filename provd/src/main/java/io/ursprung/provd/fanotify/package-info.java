/**
 * File events with the accessing PID on file systems without Spectrum Scale, from fanotify,
 * published in the JSON shape of Spectrum Scale's {@code mmwatch} so the consumer has one
 * file-event path.
 *
 * <p>Two fanotify groups: one in fd mode with mount marks for open, modify and close (the kernel
 * hands over an fd, resolved to a path through {@code /proc/self/fd}), and, where the kernel
 * reports directory entries (5.9+), one in FID mode with file-system marks for create, delete and
 * moves (the parent directory's handle is opened with {@code open_by_handle_at}). {@link
 * io.ursprung.provd.fanotify.FanotifyParser} decodes the kernel's byte layout without native code,
 * so it is tested on plain byte buffers.
 */
package io.ursprung.provd.fanotify;
