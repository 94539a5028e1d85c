#ifndef NNREPORT_CPNG_SHIM_H
#define NNREPORT_CPNG_SHIM_H
// libpng reports errors through a callback that must not return, so the decoder
// and encoder below catch them with setjmp/longjmp, which Swift cannot call:
// each wrapper returns 0 on success, or 1 with libpng's own message copied into
// `message`. Buffers handed back are malloc'd; the caller frees them.
#include <setjmp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>

typedef struct {
    jmp_buf jump;
    char message[256];
    const unsigned char *data;
    size_t size;
    size_t offset;
    unsigned char *output;
    size_t output_size;
    size_t output_capacity;
} nnr_png_state;

static void nnr_png_error(png_structp png, png_const_charp text) {
    nnr_png_state *state = (nnr_png_state *)png_get_error_ptr(png);
    snprintf(state->message, sizeof state->message, "%s", text);
    longjmp(state->jump, 1);
}

static void nnr_png_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

static void nnr_png_read(png_structp png, png_bytep out, png_size_t length) {
    nnr_png_state *state = (nnr_png_state *)png_get_io_ptr(png);
    if (length > state->size - state->offset) {
        png_error(png, "truncated file: read past the end of the data");
    }
    memcpy(out, state->data + state->offset, length);
    state->offset += length;
}

static void nnr_png_write(png_structp png, png_bytep data, png_size_t length) {
    nnr_png_state *state = (nnr_png_state *)png_get_io_ptr(png);
    if (length > state->output_capacity - state->output_size) {
        size_t capacity = state->output_capacity ? state->output_capacity : 4096;
        while (length > capacity - state->output_size) capacity *= 2;
        unsigned char *grown = (unsigned char *)realloc(state->output, capacity);
        if (!grown) png_error(png, "out of memory");
        state->output = grown;
        state->output_capacity = capacity;
    }
    memcpy(state->output + state->output_size, data, length);
    state->output_size += length;
}

static void nnr_png_flush(png_structp png) { (void)png; }

/// Decodes the PNG in `data` to interleaved RGB: grey is replicated, palettes are
/// looked up, bit depths below 8 are expanded to 8, and alpha (including a tRNS
/// chunk) is dropped, as PIL's `convert("RGB")` does. 16-bit images keep 16 bits
/// per sample in native byte order (`*bytes_per_sample` is 1 or 2), and
/// `*color_type_out` is the file's own PNG color type, so that the caller can reduce
/// them to 8 bits the way Pillow does for that type. Images of more than
/// `max_pixels` pixels are refused before any allocation.
static inline int nnr_png_decode_rgb(const unsigned char *data, size_t size, size_t max_pixels,
                                     void **pixels, int *width, int *height, int *bytes_per_sample,
                                     int *color_type_out, char *message, size_t message_size) {
    nnr_png_state state;
    png_structp volatile png = NULL;
    png_infop volatile info = NULL;
    unsigned char *volatile buffer = NULL;
    png_bytep *volatile rows = NULL;
    memset(&state, 0, sizeof state);
    state.data = data;
    state.size = size;
    *pixels = NULL;
    if (size < 8 || png_sig_cmp((png_const_bytep)data, 0, 8) != 0) {
        snprintf(message, message_size, "not a PNG file (bad signature)");
        return 1;
    }
    png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &state, nnr_png_error, nnr_png_warning);
    if (!png) {
        snprintf(message, message_size, "libpng could not create a reader");
        return 1;
    }
    if (setjmp(state.jump)) {
        png_structp p = png;
        png_infop i = info;
        png_destroy_read_struct(&p, i ? &i : NULL, NULL);
        free(rows);
        free(buffer);
        snprintf(message, message_size, "%s", state.message);
        return 1;
    }
    info = png_create_info_struct(png);
    if (!info) png_error(png, "libpng could not create an info struct");
    png_set_read_fn(png, &state, nnr_png_read);
    png_set_user_limits(png, 1u << 20, 1u << 20);
    png_read_info(png, info);
    png_uint_32 w = png_get_image_width(png, info), h = png_get_image_height(png, info);
    int bit_depth = png_get_bit_depth(png, info);
    int color_type = png_get_color_type(png, info);
    if ((size_t)w * (size_t)h > max_pixels) {
        snprintf(state.message, sizeof state.message, "image too large: %ux%u pixels", (unsigned)w, (unsigned)h);
        longjmp(state.jump, 1);
    }
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (color_type == PNG_COLOR_TYPE_GRAY || color_type == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
    // Palette expansion also turns a tRNS chunk into alpha, dropped here with the rest.
    if ((color_type & PNG_COLOR_MASK_ALPHA) || png_get_valid(png, info, PNG_INFO_tRNS)) png_set_strip_alpha(png);
    if (bit_depth == 16) png_set_swap(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    int bytes = png_get_bit_depth(png, info) == 16 ? 2 : 1;
    size_t row_bytes = png_get_rowbytes(png, info);
    if (png_get_channels(png, info) != 3 || row_bytes != (size_t)w * 3 * (size_t)bytes) {
        snprintf(state.message, sizeof state.message, "unexpected layout after conversion to RGB");
        longjmp(state.jump, 1);
    }
    buffer = (unsigned char *)malloc(row_bytes * h);
    rows = (png_bytep *)malloc(sizeof(png_bytep) * h);
    if (!buffer || !rows) {
        snprintf(state.message, sizeof state.message, "out of memory for %ux%u pixels", (unsigned)w, (unsigned)h);
        longjmp(state.jump, 1);
    }
    for (png_uint_32 y = 0; y < h; y++) rows[y] = buffer + (size_t)y * row_bytes;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    {
        png_structp p = png;
        png_infop i = info;
        png_destroy_read_struct(&p, &i, NULL);
    }
    free(rows);
    *pixels = buffer;
    *width = (int)w;
    *height = (int)h;
    *bytes_per_sample = bytes;
    *color_type_out = color_type;
    return 0;
}

/// Encodes rows already in PNG sample layout (`bit_depth` 1, 2, 4, 8 or 16; 16-bit
/// samples big-endian; sub-byte samples packed) of the given PNG color type. A
/// palette image needs `palette` (RGB triples, `palette_count` entries).
static inline int nnr_png_encode(const unsigned char *samples, int width, int height, int color_type,
                                 int bit_depth, const unsigned char *palette, int palette_count,
                                 unsigned char **output, size_t *output_size,
                                 char *message, size_t message_size) {
    nnr_png_state state;
    png_structp volatile png = NULL;
    png_infop volatile info = NULL;
    memset(&state, 0, sizeof state);
    *output = NULL;
    *output_size = 0;
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &state, nnr_png_error, nnr_png_warning);
    if (!png) {
        snprintf(message, message_size, "libpng could not create a writer");
        return 1;
    }
    if (setjmp(state.jump)) {
        png_structp p = png;
        png_infop i = info;
        png_destroy_write_struct(&p, i ? &i : NULL);
        free(state.output);
        snprintf(message, message_size, "%s", state.message);
        return 1;
    }
    info = png_create_info_struct(png);
    if (!info) png_error(png, "libpng could not create an info struct");
    png_set_write_fn(png, &state, nnr_png_write, nnr_png_flush);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, bit_depth, color_type,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (color_type == PNG_COLOR_TYPE_PALETTE) {
        png_color entries[256];
        if (!palette || palette_count < 1 || palette_count > 256) png_error(png, "a palette image needs 1 to 256 colors");
        for (int index = 0; index < palette_count; index++) {
            entries[index].red = palette[3 * index];
            entries[index].green = palette[3 * index + 1];
            entries[index].blue = palette[3 * index + 2];
        }
        png_set_PLTE(png, info, entries, palette_count);
    }
    png_write_info(png, info);
    size_t row_bytes = png_get_rowbytes(png, info);
    for (int y = 0; y < height; y++) {
        png_write_row(png, (png_const_bytep)(samples + (size_t)y * row_bytes));
    }
    png_write_end(png, NULL);
    {
        png_structp p = png;
        png_infop i = info;
        png_destroy_write_struct(&p, &i);
    }
    *output = state.output;
    *output_size = state.output_size;
    return 0;
}
#endif
