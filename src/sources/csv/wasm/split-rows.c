/*
 * Row splitter for quote-free CSV bytes, compiled to WebAssembly with SIMD (scripts/build-wasm.sh).
 *
 * It finds row and field boundaries 64 bytes at a time: the newline and delimiter positions of a
 * block become two 64-bit masks, and only those positions are visited. Fields after the last
 * projected one are not visited at all: their delimiters are counted with popcount, so a row's
 * field count is still checked. For every row it writes
 *   [row start, field count, start and end of each projected field (in projection order)]
 * and leaves parsing the values to the caller. A blank line ("\n" or "\r\n") is written with a
 * field count of 0. It stops at the start of the first row holding a quote character, which
 * needs the full RFC 4180 parser. The caller guarantees 64 readable bytes after the input.
 *
 * A projected field marked as an integer slot whose text is a plain integer of at most 9 digits
 * (optional sign, nothing else) is parsed here: its entry becomes [value, -1] instead of
 * [start, end]. Anything else (empty, NA markers, spaces, longer numbers) keeps its offsets and
 * is parsed, or reported, by the caller.
 */
#include <stdint.h>
#include <wasm_simd128.h>

static int32_t delimiter;
static int32_t field_count;
static int32_t last_projected;
static int32_t stride;
/* Field index -> projection slot, or -1. Entry field_count (any extra field) is -1. */
static const int32_t *slot_of;
/* Field index (up to last_projected) -> the first projected field at or after it. */
static const int32_t *next_projected;
/* Projection slot -> 1 when its integers are parsed here. */
static const uint8_t *int_slot;
/* Whether some field before the last projected one is not projected (else no gap to skip). */
static int has_gaps;

__attribute__((export_name("configure"))) void configure(int32_t delim, int32_t fields, int32_t last, int32_t projected, const int32_t *slots, const int32_t *next, const uint8_t *ints) {
  delimiter = delim;
  field_count = fields;
  last_projected = last;
  stride = 2 + 2 * projected;
  slot_of = slots;
  next_projected = next;
  int_slot = ints;
  has_gaps = 0;
  for (int32_t f = 0; f <= last; f++) has_gaps |= slots[f] < 0;
}

/* Writes a projected field: its offsets, or [value, -1] for a plain integer in an integer slot. */
static inline void put_field(int32_t *entry, int32_t slot, const uint8_t *buf, int32_t start, int32_t end) {
  if (int_slot[slot]) {
    int32_t i = start;
    int negative = 0;
    if (i < end && (buf[i] == '-' || buf[i] == '+')) negative = buf[i++] == '-';
    int32_t digits = end - i;
    if (digits > 0 && digits <= 9) {
      int32_t value = 0;
      for (; i < end; i++) {
        uint32_t d = (uint32_t)buf[i] - '0';
        if (d > 9) break;
        value = value * 10 + (int32_t)d;
      }
      if (i == end) {
        entry[0] = negative ? -value : value;
        entry[1] = -1;
        return;
      }
    }
  }
  entry[0] = start;
  entry[1] = end;
}

static inline uint64_t match_mask(const uint8_t *p, v128_t c) {
  uint64_t m0 = (uint16_t)wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(p), c));
  uint64_t m1 = (uint16_t)wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(p + 16), c));
  uint64_t m2 = (uint16_t)wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(p + 32), c));
  uint64_t m3 = (uint16_t)wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(p + 48), c));
  return m0 | (m1 << 16) | (m2 << 32) | (m3 << 48);
}

static int32_t consumed_at;
static int32_t stopped_at_quote;

/* Where the last call stopped: the offset just after its last complete row. */
__attribute__((export_name("consumed"))) int32_t consumed(void) { return consumed_at; }

/* Whether the last call stopped at a row holding a quote (it starts at consumed()). */
__attribute__((export_name("stopped_at_quote"))) int32_t stopped_at_quote_(void) { return stopped_at_quote; }

/*
 * Splits the rows of buf[start, len); offsets written are from buf. `final` means the input ends
 * at len, so a last row without a newline is complete. Writes at most max_rows rows to out and
 * returns how many.
 */
__attribute__((export_name("split_rows"))) int32_t split_rows(const uint8_t *buf, int32_t start, int32_t len, int32_t final, int32_t *out, int32_t max_rows) {
  const v128_t newline_v = wasm_i8x16_splat('\n');
  const v128_t delimiter_v = wasm_i8x16_splat((int8_t)delimiter);
  const v128_t quote_v = wasm_i8x16_splat('"');
  stopped_at_quote = 0;
  int32_t rows = 0;
  int32_t row_start = start;
  int32_t field = 0;
  int32_t field_start = start;
  int32_t *row = out;
  for (int32_t base = start; base < len; base += 64) {
    const uint8_t *p = buf + base;
    uint64_t newlines = match_mask(p, newline_v);
    uint64_t delimiters = match_mask(p, delimiter_v);
    uint64_t quotes = match_mask(p, quote_v);
    if (len - base < 64) {
      uint64_t valid = (((uint64_t)1) << (len - base)) - 1;
      newlines &= valid;
      delimiters &= valid;
      quotes &= valid;
    }
    uint64_t marks = newlines | delimiters;
    /* Only the marks before the first quote: the row holding it goes to the RFC 4180 parser. */
    if (quotes != 0) marks &= (quotes & (0 - quotes)) - 1;
    while (marks != 0) {
      if (field > last_projected) {
        /* Past the projection: count the delimiters up to the row's newline. */
        uint64_t rest_newlines = newlines & marks;
        if (rest_newlines == 0) {
          field += __builtin_popcountll(marks);
          break;
        }
        uint64_t before = (rest_newlines & (0 - rest_newlines)) - 1;
        field += __builtin_popcountll(marks & before);
        marks &= ~before;
      } else if (has_gaps && slot_of[field] < 0) {
        /* Unprojected fields before the next projected one: pass their delimiters without
           visiting each, stopping at a newline (a short row) or at the block's end. */
        int32_t gap = next_projected[field] - field;
        uint64_t rest_newlines = newlines & marks;
        uint64_t before = rest_newlines == 0 ? marks : marks & ((rest_newlines & (0 - rest_newlines)) - 1);
        int32_t count = __builtin_popcountll(before);
        if (count < gap) {
          field += count;
          marks &= ~before;
          if (marks == 0) break;
        } else {
          /* Leave the last delimiter of the gap to the code below: it sets the next field's start. */
          for (int32_t k = 1; k < gap; k++) marks &= marks - 1;
          field += gap - 1;
        }
      }
      int32_t bit = __builtin_ctzll(marks);
      marks &= marks - 1;
      int32_t at = base + bit;
      int is_newline = (newlines >> bit) & 1;
      int32_t slot = slot_of[field < field_count ? field : field_count];
      if (slot >= 0) {
        int32_t end = at;
        if (is_newline && end > field_start && buf[end - 1] == '\r') end--;
        put_field(row + 2 + 2 * slot, slot, buf, field_start, end);
      }
      field++;
      field_start = at + 1;
      if (is_newline) {
        int blank = field == 1 && (at == row_start || (at == row_start + 1 && buf[row_start] == '\r'));
        row[0] = row_start;
        row[1] = blank ? 0 : field;
        row += stride;
        rows++;
        row_start = at + 1;
        field = 0;
        if (rows == max_rows) {
          consumed_at = row_start;
          return rows;
        }
      }
    }
    if (quotes != 0) {
      stopped_at_quote = 1;
      consumed_at = row_start;
      return rows;
    }
  }
  if (final && row_start < len) {
    /* A last row without a newline. */
    if (field <= last_projected) {
      int32_t slot = slot_of[field < field_count ? field : field_count];
      if (slot >= 0) {
        int32_t end = len;
        if (end > field_start && buf[end - 1] == '\r') end--;
        put_field(row + 2 + 2 * slot, slot, buf, field_start, end);
      }
    }
    field++;
    int blank = field == 1 && len == row_start + 1 && buf[row_start] == '\r';
    row[0] = row_start;
    row[1] = blank ? 0 : field;
    rows++;
    row_start = len;
  }
  consumed_at = row_start;
  return rows;
}
