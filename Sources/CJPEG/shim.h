#ifndef NNREPORT_CJPEG_SHIM_H
#define NNREPORT_CJPEG_SHIM_H
// libjpeg(-turbo) reports errors through a callback that must not return, so the
// decoder and encoder below catch them with setjmp/longjmp, which Swift cannot
// call: each wrapper returns 0 on success, or 1 with the library's own message
// copied into `message`. Buffers handed back are malloc'd; the caller frees them.
#include <setjmp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

typedef struct {
    struct jpeg_error_mgr manager;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
    int truncated;
} nnr_jpeg_error;

static void nnr_jpeg_error_exit(j_common_ptr cinfo) {
    nnr_jpeg_error *error = (nnr_jpeg_error *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, error->message);
    longjmp(error->jump, 1);
}

// Warnings are not printed. "Premature end of JPEG file" is remembered: libjpeg
// fills the missing rows with grey and carries on, which we treat as an error
// (as PIL does unless told to load truncated images).
static void nnr_jpeg_emit_message(j_common_ptr cinfo, int level) {
    if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
        ((nnr_jpeg_error *)cinfo->err)->truncated = 1;
    }
}

static void nnr_jpeg_output_message(j_common_ptr cinfo) { (void)cinfo; }

// Routes libjpeg's errors to nnr_jpeg_error_exit and silences its warnings.
static void nnr_jpeg_install_error_handler(nnr_jpeg_error *error, struct jpeg_error_mgr **slot) {
    memset(error, 0, sizeof *error);
    *slot = jpeg_std_error(&error->manager);
    error->manager.error_exit = nnr_jpeg_error_exit;
    error->manager.emit_message = nnr_jpeg_emit_message;
    error->manager.output_message = nnr_jpeg_output_message;
}

static void nnr_jpeg_set_message(char *message, size_t size, const char *text) {
    if (size > 0) snprintf(message, size, "%s", text);
}

/// Decodes the JPEG in `data` to interleaved 8-bit RGB (`*pixels`, width x height x 3).
/// Grey images are expanded to RGB; CMYK and YCCK (Adobe, inverted) are converted.
/// Images of more than `max_pixels` pixels are refused before any allocation.
static inline int nnr_jpeg_decode_rgb(const unsigned char *data, unsigned long size, size_t max_pixels,
                                      unsigned char **pixels, int *width, int *height,
                                      char *message, size_t message_size) {
    struct jpeg_decompress_struct cinfo;
    nnr_jpeg_error error;
    unsigned char *volatile buffer = NULL;
    unsigned char *volatile row = NULL;
    memset(&cinfo, 0, sizeof cinfo);
    *pixels = NULL;
    nnr_jpeg_install_error_handler(&error, &cinfo.err);
    if (setjmp(error.jump)) {
        jpeg_destroy_decompress(&cinfo);
        free(row);
        free(buffer);
        nnr_jpeg_set_message(message, message_size, error.message);
        return 1;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, size);
    jpeg_read_header(&cinfo, TRUE);
    /* The declared size, checked before the decoder allocates anything for it. */
    if ((size_t)cinfo.image_width * (size_t)cinfo.image_height > max_pixels) {
        snprintf(error.message, sizeof error.message, "image too large: %ux%u pixels",
                 (unsigned)cinfo.image_width, (unsigned)cinfo.image_height);
        longjmp(error.jump, 1);
    }
    int cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
    cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
    jpeg_start_decompress(&cinfo);
    size_t w = cinfo.output_width, h = cinfo.output_height;
    int components = cinfo.output_components;
    if (w == 0 || h == 0 || w * h > max_pixels || (components != 3 && components != 4)) {
        snprintf(error.message, sizeof error.message,
                 "unsupported image: %zux%zu pixels, %d components", w, h, components);
        longjmp(error.jump, 1);
    }
    buffer = malloc(w * h * 3);
    row = malloc(w * (size_t)components);
    if (!buffer || !row) {
        snprintf(error.message, sizeof error.message, "out of memory for %zux%zu pixels", w, h);
        longjmp(error.jump, 1);
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        size_t y = cinfo.output_scanline;
        JSAMPROW rows[1] = {row};
        if (jpeg_read_scanlines(&cinfo, rows, 1) != 1) break;
        unsigned char *out = buffer + y * w * 3;
        if (components == 3) {
            memcpy(out, row, w * 3);
        } else {
            // Adobe writes CMYK inverted: R = C·K / 255 on the stored values.
            for (size_t x = 0; x < w; x++) {
                unsigned k = row[4 * x + 3];
                out[3 * x + 0] = (unsigned char)((row[4 * x + 0] * k + 127) / 255);
                out[3 * x + 1] = (unsigned char)((row[4 * x + 1] * k + 127) / 255);
                out[3 * x + 2] = (unsigned char)((row[4 * x + 2] * k + 127) / 255);
            }
        }
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    free(row);
    if (error.truncated) {
        free(buffer);
        nnr_jpeg_set_message(message, message_size, "truncated file: premature end of JPEG data");
        return 1;
    }
    *pixels = buffer;
    *width = (int)w;
    *height = (int)h;
    return 0;
}

/// Encodes interleaved 8-bit samples (`components` 1 = grey or 3 = RGB) as a baseline
/// JPEG of the given quality (1-100) into a malloc'd buffer `*output` of `*output_size` bytes.
static inline int nnr_jpeg_encode(const unsigned char *samples, int width, int height, int components,
                                  int quality, unsigned char **output, unsigned long *output_size,
                                  char *message, size_t message_size) {
    struct jpeg_compress_struct cinfo;
    nnr_jpeg_error error;
    unsigned char *volatile buffer = NULL;
    unsigned long volatile buffer_size = 0;
    memset(&cinfo, 0, sizeof cinfo);
    *output = NULL;
    *output_size = 0;
    nnr_jpeg_install_error_handler(&error, &cinfo.err);
    if (setjmp(error.jump)) {
        jpeg_destroy_compress(&cinfo);
        free(buffer);
        nnr_jpeg_set_message(message, message_size, error.message);
        return 1;
    }
    jpeg_create_compress(&cinfo);
    jpeg_mem_dest(&cinfo, (unsigned char **)&buffer, (unsigned long *)&buffer_size);
    cinfo.image_width = (JDIMENSION)width;
    cinfo.image_height = (JDIMENSION)height;
    cinfo.input_components = components;
    cinfo.in_color_space = components == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW rows[1] = {(JSAMPROW)(samples + (size_t)cinfo.next_scanline * (size_t)width * (size_t)components)};
        jpeg_write_scanlines(&cinfo, rows, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    *output = buffer;
    *output_size = buffer_size;
    return 0;
}
#endif
