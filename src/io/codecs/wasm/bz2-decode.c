/*
 * A bzip2 block decoder compiled to WebAssembly with SIMD (scripts/build-wasm.sh), written from
 * the format (bzip2's own documentation and libbz2, whose BSD-style licence allows reuse; the
 * randomisation table below is libbz2's BZ2_rNums) and published techniques. One call decodes
 * one block that starts at any bit of the input, so no re-framing is needed:
 *
 *   1. Huffman: table-driven. Each of the ≤ 6 code tables becomes a 2^LOOKUP_BITS-entry table
 *      (symbol and length per entry) for the short codes, which are nearly all of them; the rare
 *      longer codes fall back to a canonical-code search. The bit reader keeps 56+ bits in a
 *      64-bit word, refilled branch-free from one (byte-swapped) 8-byte load, so two symbols
 *      decode per refill.
 *   2. MTF + RLE2 (RUNA/RUNB): the MTF list holds byte values (not indexes), small moves are
 *      a short loop and long ones move 16 bytes at a time with SIMD.
 *   2b. The MTF move for the common small indexes (< 16) is one SIMD shuffle.
 *   3. Inverse BWT: libbz2's "fast" layout, the byte packed into the low 8 bits of each tt[]
 *      entry beside the link. Walking the links is a chain of dependent cache misses, so the
 *      chain is cut at sampled positions into pieces that LANES interleaved walks follow at once
 *      (the core overlaps their misses), each writing its pieces to a staging area; the pieces
 *      are then copied into output order (inverse_bwt_staged; inverse_bwt is the two-pass form).
 *   4. RLE1: a SIMD scan finds the (rare) windows of 4 equal bytes; the output is then a few
 *      block copies and fills, so its exact size is known before it is written.
 *   5. The block CRC (CRC-32, MSB-first) over the output, slicing by 8.
 *
 * Interface (all state is module-global: one decode at a time per instance):
 *   input_area(len)      -> pointer where the caller writes `len` compressed bytes
 *   decode_block(len, startBit, maxBlock) -> decoded size (>= 0) or an error code (< 0);
 *                           startBit is the bit of the block magic in the input area
 *   output_area(size)    -> pointer the decoded block goes to (valid until the next call)
 *   finish_block()       -> writes the output, returns its CRC
 *   result(i)            -> 0: bit after the block (relative to the input area), 1: stored CRC,
 *                           2: nblock (BWT block size), 3: randomised flag
 *
 * Build flags for measuring (not used by scripts/build-wasm.sh): -DPROFILE imports env.now()
 * and adds up the time of each stage (exported phase(i)); -DTWO_PASS_ONLY always walks in two
 * passes; -DLANES=n and -DSAMPLE_EVERY=n change the walk's shape (8 and 64 measured best).
 */
#include <stdint.h>
#include <wasm_simd128.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#define MAX_BLOCK 900000
#define MAX_GROUPS 6
#define MAX_ALPHA 258
#define MAX_CODE_LEN 20
#define MAX_SELECTORS 18002
#define GROUP_SIZE 50
#define LOOKUP_BITS 10
/* Zero bytes after the input: the header can read ~5 KB of bits past a truncated end before
   its loops stop, and a group of symbols 125 bytes; both are checked right after. */
#define INPUT_PADDING 8192

#ifdef PROFILE
__attribute__((import_module("env"), import_name("now"))) double now(void);
static double phase_ms[8];
__attribute__((export_name("phase"))) double phase(u32 i) { return phase_ms[i]; }
#define MARK(i) do { double t_ = now(); phase_ms[i] += t_ - mark_; mark_ = t_; } while (0)
#define MARK_START double mark_ = now()
#else
#define MARK(i)
#define MARK_START
#endif

#define ERR_TRUNCATED (-1)
#define ERR_DATA (-2)
#define ERR_MAGIC (-3)

static u32 tt[MAX_BLOCK];
/* tt[i]: bits 0-7 the byte L[i], 8-27 the link psi(i), 31 set when psi(i) is a walk sample. */
#define LINK_MASK 0xfffffu
#define NEXT_IS_SAMPLE 0x80000000u
/* Walk samples: every SAMPLE_EVERY-th position, plus the walk's start. */
#ifndef SAMPLE_EVERY
#define SAMPLE_EVERY 64
#endif
#define MAX_SAMPLES (MAX_BLOCK / SAMPLE_EVERY + 2)
#ifndef LANES
#define LANES 8
#endif
static u32 seg_len[MAX_SAMPLES];
static u32 seg_next[MAX_SAMPLES];
static u32 seg_order[MAX_SAMPLES];
static u32 seg_offset[MAX_SAMPLES];
/* One-pass walk: each lane writes its pieces to its own staging area. */
#define STAGE_CAP (MAX_BLOCK / LANES + 32768)
static u8 stage[LANES][STAGE_CAP + 16];
static u32 seg_src[MAX_SAMPLES];
/* Pre-RLE1 bytes in output order, plus room for the scan's look-ahead. */
static u8 walked[MAX_BLOCK + 64];
/* Positions (in walked) of RLE1 run-length bytes. */
static u32 run_at[MAX_BLOCK / 5 + 2];
static u32 run_count;
static u32 nblock;
static u32 out_size;
static u32 results[4];
static u32 crc_table[8][256];
static int crc_ready;

static u16 lookup[MAX_GROUPS][1 << LOOKUP_BITS];
/* Canonical codes per group, for codes longer than LOOKUP_BITS. */
static u32 first_code[MAX_GROUPS][MAX_CODE_LEN + 2];
static u32 code_count[MAX_GROUPS][MAX_CODE_LEN + 2];
static u32 first_index[MAX_GROUPS][MAX_CODE_LEN + 2];
static u16 sorted_syms[MAX_GROUPS][MAX_ALPHA];
static u8 max_len[MAX_GROUPS];
static u8 selectors[MAX_SELECTORS];
static u8 lens[MAX_GROUPS][MAX_ALPHA];

static const int32_t rand_nums[512] = {
#include "bz2-rnums.inc"
};

/* ---- memory: [heap_base: input area + padding][output area], grown on demand ---- */
extern u8 __heap_base;
static u32 input_cap;
static u32 output_cap;

static u8 *heap_start(void) { return (u8 *)(((uintptr_t)&__heap_base + 15) & ~(uintptr_t)15); }

static void ensure_memory(uintptr_t end) {
  uintptr_t have = __builtin_wasm_memory_size(0) * 65536;
  if (end > have) __builtin_wasm_memory_grow(0, (end - have + 65535) / 65536);
}

__attribute__((export_name("input_area"))) u8 *input_area(u32 len) {
  if (len + INPUT_PADDING > input_cap) {
    input_cap = (len + INPUT_PADDING + 0xffff) & ~0xffffu;
    output_cap = 0; /* the output area moves up */
  }
  ensure_memory((uintptr_t)heap_start() + input_cap);
  return heap_start();
}

__attribute__((export_name("output_area"))) u8 *output_area(u32 size) {
  u8 *out = heap_start() + input_cap;
  if (size + 64 > output_cap) {
    output_cap = (size + 64 + 0xffff) & ~0xffffu;
    ensure_memory((uintptr_t)out + output_cap);
  }
  return out;
}

__attribute__((export_name("result"))) u32 result(u32 i) { return results[i & 3]; }

/* Blocks whose one-pass walk overflowed its staging and took the two-pass walk (for tests). */
static u32 two_pass_walks;
__attribute__((export_name("two_pass_walks"))) u32 two_pass_walks_count(void) { return two_pass_walks; }

/* ---- bit reader: `bits` holds `count` valid bits, left-aligned; the rest are zero ---- */
typedef struct {
  u64 bits;
  u32 count;
  const u8 *next;
} BitReader;

static inline u64 load_be64(const u8 *p) {
  v128_t v = wasm_v128_load64_zero(p);
  v = wasm_i8x16_shuffle(v, v, 7, 6, 5, 4, 3, 2, 1, 0, 8, 9, 10, 11, 12, 13, 14, 15);
  return (u64)wasm_i64x2_extract_lane(v, 0);
}

/* Tops the reader up to at least 56 valid bits. */
static inline void refill(BitReader *r) {
  r->bits |= load_be64(r->next) >> r->count;
  r->next += (63 - r->count) >> 3;
  r->count |= 56;
}

/* Reads n (1..32) bits. */
static inline u32 get_bits(BitReader *r, u32 n) {
  if (r->count < n) refill(r);
  u32 v = (u32)(r->bits >> (64 - n));
  r->bits <<= n;
  r->count -= n;
  return v;
}

static inline u32 get_bit(BitReader *r) { return get_bits(r, 1); }

/* Bits consumed since `base`. */
static inline u64 bit_position(const BitReader *r, const u8 *base) { return (u64)(r->next - base) * 8 - r->count; }

/* ---- Huffman tables ---- */
static int build_tables(u32 groups, u32 alpha) {
  for (u32 t = 0; t < groups; t++) {
    u32 count[MAX_CODE_LEN + 2] = {0};
    u32 longest = 0;
    for (u32 s = 0; s < alpha; s++) {
      count[lens[t][s]]++;
      if (lens[t][s] > longest) longest = lens[t][s];
    }
    u32 code = 0, index = 0;
    for (u32 n = 1; n <= MAX_CODE_LEN; n++) {
      first_code[t][n] = code;
      first_index[t][n] = index;
      code_count[t][n] = count[n];
      if (code + count[n] > (1u << n)) return ERR_DATA; /* over-subscribed: not a prefix code */
      index += count[n];
      code = (code + count[n]) << 1;
    }
    u32 next_index[MAX_CODE_LEN + 2];
    for (u32 n = 1; n <= MAX_CODE_LEN; n++) next_index[n] = first_index[t][n];
    for (u32 s = 0; s < alpha; s++) sorted_syms[t][next_index[lens[t][s]]++] = (u16)s;
    max_len[t] = (u8)longest;
    u16 *table = lookup[t];
    for (u32 i = 0; i < (1u << LOOKUP_BITS); i++) table[i] = 0; /* 0: long or invalid code */
    for (u32 n = 1; n <= LOOKUP_BITS; n++) {
      for (u32 k = 0; k < code_count[t][n]; k++) {
        u32 sym = sorted_syms[t][first_index[t][n] + k];
        u32 from = (first_code[t][n] + k) << (LOOKUP_BITS - n);
        u32 span = 1u << (LOOKUP_BITS - n);
        u16 entry = (u16)((sym << 5) | n);
        for (u32 i = 0; i < span; i++) table[from + i] = entry;
      }
    }
  }
  return 0;
}

/* A code longer than LOOKUP_BITS (or an invalid one): the symbol, or -1. */
static __attribute__((noinline)) int32_t decode_long(BitReader *r, u32 t) {
  for (u32 n = LOOKUP_BITS + 1; n <= max_len[t]; n++) {
    u32 v = (u32)(r->bits >> (64 - n));
    u32 k = v - first_code[t][n];
    if (k < code_count[t][n]) {
      r->bits <<= n;
      r->count -= n;
      return sorted_syms[t][first_index[t][n] + k];
    }
  }
  return -1;
}

/* ---- CRC-32 (bzip2's: MSB-first, polynomial 0x04c11db7) ---- */
static void init_crc(void) {
  for (u32 b = 0; b < 256; b++) {
    u32 c = b << 24;
    for (int k = 0; k < 8; k++) c = (c & 0x80000000u) ? (c << 1) ^ 0x04c11db7u : c << 1;
    crc_table[0][b] = c;
  }
  for (u32 k = 1; k < 8; k++)
    for (u32 b = 0; b < 256; b++) crc_table[k][b] = (crc_table[k - 1][b] << 8) ^ crc_table[0][crc_table[k - 1][b] >> 24];
  crc_ready = 1;
}

static inline u32 load_be32(const u8 *p) { return ((u32)p[0] << 24) | ((u32)p[1] << 16) | ((u32)p[2] << 8) | p[3]; }

static u32 crc_update(u32 crc, const u8 *p, u32 n) {
  while (n >= 8) {
    u32 a = crc ^ load_be32(p);
    u32 b = load_be32(p + 4);
    crc = crc_table[7][a >> 24] ^ crc_table[6][(a >> 16) & 0xff] ^ crc_table[5][(a >> 8) & 0xff] ^ crc_table[4][a & 0xff] ^
          crc_table[3][b >> 24] ^ crc_table[2][(b >> 16) & 0xff] ^ crc_table[1][(b >> 8) & 0xff] ^ crc_table[0][b & 0xff];
    p += 8;
    n -= 8;
  }
  while (n--) crc = (crc << 8) ^ crc_table[0][(crc >> 24) ^ *p++];
  return crc;
}

/* ---- the block ---- */

/* Moves mtf[0..idx) up by one (overlapping, so from the top down). */
static inline void mtf_shift(u8 *mtf, u32 idx) {
  while (idx >= 16) {
    v128_t v = wasm_v128_load(mtf + idx - 16);
    wasm_v128_store(mtf + idx - 15, v);
    idx -= 16;
  }
  while (idx > 0) {
    mtf[idx] = mtf[idx - 1];
    idx--;
  }
}

/*
 * The walk through the links is a chain of dependent loads into a 3.6 MB table, nearly all cache
 * misses: that latency, not arithmetic, bounds a bzip2 decoder. So the chain is cut into
 * independent pieces whose misses the core overlaps: every SAMPLE_EVERY-th position (and the
 * walk's start) is a sample, marked in the link that leads to it. Pass 1 walks from every
 * sample to the next one, LANES walks interleaved, to learn each piece's length and successor;
 * ordering the pieces gives each its output offset. Pass 2 walks again, LANES contiguous runs
 * of pieces at once, writing the bytes in place. Twice the loads, but LANES at a time.
 */
/*
 * The links can form several cycles. For valid data that happens when the block is periodic
 * ("abcab" × 100000: identical rotations), and the walk from the start, n steps as libbz2 takes
 * them, goes round its cycle of `cycle` bytes again and again: so the output repeats the first
 * `cycle` bytes. (For corrupt data the result is garbage, which the block CRC rejects.)
 */
static void repeat_cycle(u32 cycle, u32 n) {
  for (u32 i = cycle; i < n; i++) walked[i] = walked[i - cycle];
}

static u32 sample_position(u32 id, u32 regular, u32 walk_start) { return id < regular ? id * SAMPLE_EVERY : walk_start; }

static int inverse_bwt(u32 n, u32 orig_ptr) {
  const u32 walk_start = (tt[orig_ptr] >> 8) & LINK_MASK;
  if (n < LANES * SAMPLE_EVERY * 4) {
    u32 p = walk_start;
    for (u32 i = 0; i < n; i++) {
      u32 e = tt[p];
      walked[i] = (u8)e;
      p = (e >> 8) & LINK_MASK;
    }
    return 0;
  }
  const u32 regular = (n + SAMPLE_EVERY - 1) / SAMPLE_EVERY;
  /* The start is a sample too: the links into it mark it. */
  tt[orig_ptr] |= NEXT_IS_SAMPLE;
  const u32 samples = (walk_start & (SAMPLE_EVERY - 1)) == 0 ? regular : regular + 1;
  const u32 start_id = samples == regular ? walk_start / SAMPLE_EVERY : regular;

  /* Pass 1: lane k walks samples k, k + LANES, ... */
  {
    u32 id[LANES], pos[LANES], len[LANES];
    u32 active = 0;
    for (u32 k = 0; k < LANES; k++) {
      id[k] = k;
      pos[k] = k < samples ? sample_position(k, regular, walk_start) : 0;
      len[k] = 0;
      if (k < samples) active |= 1u << k;
    }
    while (active == (1u << LANES) - 1) {
      for (u32 k = 0; k < LANES; k++) {
        u32 e = tt[pos[k]];
        pos[k] = (e >> 8) & LINK_MASK;
        len[k]++;
        if (e & NEXT_IS_SAMPLE) {
          u32 p = pos[k];
          seg_len[id[k]] = len[k];
          seg_next[id[k]] = (p & (SAMPLE_EVERY - 1)) == 0 ? p / SAMPLE_EVERY : regular;
          len[k] = 0;
          id[k] += LANES;
          if (id[k] < samples) pos[k] = sample_position(id[k], regular, walk_start);
          else active &= ~(1u << k);
        }
      }
    }
    /* The last few walks, one at a time. */
    for (u32 k = 0; k < LANES; k++) {
      if (!(active & (1u << k))) continue;
      for (;;) {
        u32 e = tt[pos[k]];
        pos[k] = (e >> 8) & LINK_MASK;
        len[k]++;
        if (e & NEXT_IS_SAMPLE) {
          u32 p = pos[k];
          seg_len[id[k]] = len[k];
          seg_next[id[k]] = (p & (SAMPLE_EVERY - 1)) == 0 ? p / SAMPLE_EVERY : regular;
          len[k] = 0;
          id[k] += LANES;
          if (id[k] >= samples) break;
          pos[k] = sample_position(id[k], regular, walk_start);
        }
      }
    }
  }
  /* The pieces in output order, around the cycle through the start (see repeat_cycle). */
  u32 pieces = 0;
  u32 cycle = 0;
  {
    u32 s = start_id;
    do {
      if (pieces >= samples) return ERR_DATA;
      seg_order[pieces++] = s;
      seg_offset[s] = cycle;
      cycle += seg_len[s];
      s = seg_next[s];
    } while (s != start_id);
    if (cycle > n) return ERR_DATA;
  }
  /* Pass 2: LANES runs of consecutive pieces, of about cycle / LANES bytes each. */
  {
    const u32 n_all = n;
    n = cycle;
    u32 pos[LANES], out[LANES], end[LANES];
    u32 piece = 0;
    for (u32 k = 0; k < LANES; k++) {
      if (piece >= pieces) {
        /* Fewer pieces than lanes (a short cycle): this lane has nothing to write. */
        pos[k] = 0;
        out[k] = end[k] = n;
        continue;
      }
      u32 s = seg_order[piece];
      pos[k] = sample_position(s, regular, walk_start);
      out[k] = seg_offset[s];
      u32 target = (u32)(((u64)n * (k + 1)) / LANES);
      while (piece < pieces && seg_offset[seg_order[piece]] < target) piece++;
      end[k] = piece < pieces ? seg_offset[seg_order[piece]] : n;
      if (k == LANES - 1) end[k] = n;
    }
    u32 common = n;
    for (u32 k = 0; k < LANES; k++)
      if (end[k] - out[k] < common) common = end[k] - out[k];
    for (u32 i = 0; i < common; i++) {
      for (u32 k = 0; k < LANES; k++) {
        u32 e = tt[pos[k]];
        walked[out[k] + i] = (u8)e;
        pos[k] = (e >> 8) & LINK_MASK;
      }
    }
    for (u32 k = 0; k < LANES; k++) {
      for (u32 o = out[k] + common; o < end[k]; o++) {
        u32 e = tt[pos[k]];
        walked[o] = (u8)e;
        pos[k] = (e >> 8) & LINK_MASK;
      }
    }
    n = n_all;
  }
  repeat_cycle(cycle, n);
  return 0;
}

/*
 * inverse_bwt in one pass: each lane walks its samples' pieces once, writing them one after
 * another to its own staging area; ordering the pieces then copies each to its output offset
 * (a copy of n bytes instead of a second pass of n cache-missing loads). Returns 1 if a lane's
 * staging area filled up (pieces far longer than usual: then the two-pass walk is used).
 */
static int inverse_bwt_staged(u32 n, u32 orig_ptr) {
  const u32 walk_start = (tt[orig_ptr] >> 8) & LINK_MASK;
  const u32 regular = (n + SAMPLE_EVERY - 1) / SAMPLE_EVERY;
  tt[orig_ptr] |= NEXT_IS_SAMPLE;
  const u32 samples = (walk_start & (SAMPLE_EVERY - 1)) == 0 ? regular : regular + 1;
  const u32 start_id = samples == regular ? walk_start / SAMPLE_EVERY : regular;
  {
    u32 id[LANES], pos[LANES], wp[LANES], piece_start[LANES];
    u32 active = 0;
    for (u32 k = 0; k < LANES; k++) {
      id[k] = k;
      pos[k] = k < samples ? sample_position(k, regular, walk_start) : 0;
      wp[k] = piece_start[k] = 0;
      if (k < samples) active |= 1u << k;
    }
    while (active) {
      for (u32 k = 0; k < LANES; k++) {
        if (!(active & (1u << k))) continue;
        u32 e = tt[pos[k]];
        stage[k][wp[k]++] = (u8)e;
        pos[k] = (e >> 8) & LINK_MASK;
        if ((e & NEXT_IS_SAMPLE) || wp[k] >= STAGE_CAP) {
          if (!(e & NEXT_IS_SAMPLE)) return 1;
          u32 p = pos[k];
          seg_len[id[k]] = wp[k] - piece_start[k];
          seg_src[id[k]] = (u32)(&stage[k][piece_start[k]] - &stage[0][0]);
          seg_next[id[k]] = (p & (SAMPLE_EVERY - 1)) == 0 ? p / SAMPLE_EVERY : regular;
          piece_start[k] = wp[k];
          id[k] += LANES;
          if (id[k] < samples) pos[k] = sample_position(id[k], regular, walk_start);
          else active &= ~(1u << k);
        }
      }
    }
  }
  u32 at = 0, s = start_id, pieces = 0;
  do {
    if (pieces++ >= samples) return ERR_DATA;
    u32 len = seg_len[s];
    if (at + len > n) return ERR_DATA;
    const u8 *src = &stage[0][0] + seg_src[s];
    u8 *dst = walked + at;
    /* 16 bytes at a time: the overrun is overwritten by the next piece, or lands in padding. */
    for (u32 i = 0; i < len; i += 16) wasm_v128_store(dst + i, wasm_v128_load(src + i));
    at += len;
    s = seg_next[s];
  } while (s != start_id);
  repeat_cycle(at, n);
  return 0;
}

__attribute__((export_name("decode_block"))) int32_t decode_block(u32 len, u32 start_bit, u32 max_block) {
  MARK_START;
  const u8 *in = heap_start();
  for (u32 i = 0; i < INPUT_PADDING; i++) heap_start()[len + i] = 0;
  const u64 end_bit = (u64)len * 8;
  /* Bad data or, when the reader has gone past the input's end (into the zero padding), a block
     cut short: checked at every failure, so a truncated block is never called corrupt. */
#define FAIL() return bit_position(&r, in) > end_bit ? ERR_TRUNCATED : ERR_DATA
  if (max_block > MAX_BLOCK) max_block = MAX_BLOCK;
  BitReader r = {0, 0, in + (start_bit >> 3)};
  refill(&r);
  if (start_bit & 7) get_bits(&r, start_bit & 7);

  u32 magic_hi = get_bits(&r, 24), magic_lo = get_bits(&r, 24);
  if (magic_hi != 0x314159 || magic_lo != 0x265359) return bit_position(&r, in) > end_bit ? ERR_TRUNCATED : ERR_MAGIC;
  results[1] = get_bits(&r, 32);
  u32 randomised = get_bit(&r);
  results[3] = randomised;
  u32 orig_ptr = get_bits(&r, 24);

  /* The byte values in use. */
  u8 mtf[256 + 16];
  u32 in_use = 0;
  u32 used16 = get_bits(&r, 16);
  for (u32 i = 0; i < 16; i++) {
    if (!(used16 & (0x8000u >> i))) continue;
    u32 used = get_bits(&r, 16);
    for (u32 j = 0; j < 16; j++)
      if (used & (0x8000u >> j)) mtf[in_use++] = (u8)(i * 16 + j);
  }
  if (in_use == 0) FAIL();
  u32 alpha = in_use + 2;

  u32 groups = get_bits(&r, 3);
  if (groups < 2 || groups > MAX_GROUPS) FAIL();
  u32 n_selectors = get_bits(&r, 15);
  if (n_selectors < 1) FAIL();
  {
    u8 pos[MAX_GROUPS];
    for (u32 g = 0; g < groups; g++) pos[g] = (u8)g;
    for (u32 i = 0; i < n_selectors; i++) {
      u32 j = 0;
      while (get_bit(&r)) {
        if (++j >= groups) FAIL();
      }
      /* As bzip2 1.0.8: selectors past the most a block can use are read and ignored. */
      if (i < MAX_SELECTORS) {
        u8 g = pos[j];
        for (; j > 0; j--) pos[j] = pos[j - 1];
        pos[0] = g;
        selectors[i] = g;
      }
      if ((i & 1023) == 0 && bit_position(&r, in) > end_bit) return ERR_TRUNCATED;
    }
    if (n_selectors > MAX_SELECTORS) n_selectors = MAX_SELECTORS;
  }
  for (u32 t = 0; t < groups; t++) {
    u32 cur = get_bits(&r, 5);
    for (u32 s = 0; s < alpha; s++) {
      for (;;) {
        if (cur < 1 || cur > MAX_CODE_LEN) FAIL();
        if (!get_bit(&r)) break;
        if (get_bit(&r)) cur--;
        else cur++;
      }
      lens[t][s] = (u8)cur;
    }
  }
  if (bit_position(&r, in) > end_bit) return ERR_TRUNCATED;
  if (build_tables(groups, alpha) < 0) FAIL();
  MARK(0);

  /* Symbols → MTF/RLE2 → tt[] (low byte) and byte counts. */
  u32 counts[256] = {0};
  const u32 eob = alpha - 1;
  u32 n = 0;
  u32 run = 0, run_shift = 0;
  u32 group = 0;
  for (;;) {
    if (group >= n_selectors) FAIL();
    const u32 t = selectors[group++];
    const u16 *table = lookup[t];
    for (u32 k = 0; k < GROUP_SIZE; k++) {
      if ((k & 1) == 0) refill(&r);
      u32 entry = table[r.bits >> (64 - LOOKUP_BITS)];
      u32 sym;
      if (entry & 31) {
        sym = entry >> 5;
        r.bits <<= entry & 31;
        r.count -= entry & 31;
      } else {
        refill(&r);
        int32_t s = decode_long(&r, t);
        if (s < 0) FAIL();
        sym = (u32)s;
        /* decode_long may have used the bits meant for the next symbol of the pair. */
        refill(&r);
      }
      if (sym < 2) {
        /* RUNA (0) adds 1 << shift, RUNB (1) adds 2 << shift: bijective base 2. */
        run += (sym + 1) << run_shift;
        run_shift++;
        if (run > max_block) FAIL();
        continue;
      }
      if (run) {
        if (n + run > max_block) FAIL();
        u32 b = mtf[0];
        counts[b] += run;
        u32 *dst = tt + n;
        v128_t fill = wasm_i32x4_splat((int32_t)b);
        u32 i = 0;
        for (; i + 4 <= run; i += 4) wasm_v128_store(dst + i, fill);
        for (; i < run; i++) dst[i] = b;
        n += run;
        run = 0;
        run_shift = 0;
      }
      if (sym == eob) goto end_of_block;
      if (n >= max_block) FAIL();
      u32 idx = sym - 1;
      u8 b;
      if (idx < 16) {
        /* One shuffle moves mtf[idx] to the front and mtf[0..idx) up by one: lane j takes lane
           j - 1 for 0 < j <= idx, lane idx for j = 0, and itself above idx. */
        const v128_t lanes = wasm_i8x16_const(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        v128_t front = wasm_v128_load(mtf);
        v128_t from = wasm_i8x16_add(lanes, wasm_u8x16_le(lanes, wasm_i8x16_splat((int8_t)idx)));
        from = wasm_i8x16_replace_lane(from, 0, (int8_t)idx);
        front = wasm_i8x16_swizzle(front, from);
        wasm_v128_store(mtf, front);
        b = (u8)wasm_i8x16_extract_lane(front, 0);
      } else {
        b = mtf[idx];
        mtf_shift(mtf, idx);
        mtf[0] = b;
      }
      counts[b]++;
      tt[n++] = b;
    }
    if (bit_position(&r, in) > end_bit) return ERR_TRUNCATED;
  }
end_of_block:;
  const u64 after = bit_position(&r, in);
  if (after > end_bit) return ERR_TRUNCATED;
  results[0] = (u32)after;
  if (orig_ptr >= n) return ERR_DATA;
  nblock = n;
  results[2] = n;
  MARK(1);

  /* Inverse BWT: link every position to the next one in output order. */
  {
    u32 start[256];
    u32 sum = 0;
    for (u32 b = 0; b < 256; b++) {
      start[b] = sum;
      sum += counts[b];
    }
    for (u32 i = 0; i < n; i++) {
      u32 b = tt[i] & 0xff;
      tt[start[b]++] |= (i << 8) | ((i & (SAMPLE_EVERY - 1)) == 0 ? NEXT_IS_SAMPLE : 0);
    }
  }
  MARK(2);
  {
#ifdef TWO_PASS_ONLY
    int walked_ok = inverse_bwt(n, orig_ptr);
#else
    int walked_ok = n < LANES * SAMPLE_EVERY * 4 ? inverse_bwt(n, orig_ptr) : inverse_bwt_staged(n, orig_ptr);
#endif
    if (walked_ok == 1) {
      two_pass_walks++;
      /* Walk in two passes instead (the marks stay valid: both walks mark the same samples). */
      walked_ok = inverse_bwt(n, orig_ptr);
    }
    if (walked_ok < 0) return ERR_DATA;
  }
  MARK(3);
  if (randomised) {
    u32 to_go = 0, table_pos = 0;
    for (u32 i = 0; i < n; i++) {
      if (to_go == 0) {
        to_go = (u32)rand_nums[table_pos];
        table_pos = (table_pos + 1) & 511;
      }
      to_go--;
      walked[i] ^= (to_go == 1);
    }
  }
  /* Bytes after the block that cannot complete a window of 4 equal bytes with it. */
  for (u32 i = 0; i < 32; i++) walked[n + i] = (u8)(walked[n - 1] + 1 + i);

  /* RLE1: every 4 equal bytes (from a fresh start) are followed by a count of further copies. */
  run_count = 0;
  u32 size = 0;
  {
    u32 i = 0;
    while (i + 4 <= n) {
      v128_t a = wasm_v128_load(walked + i);
      v128_t b = wasm_v128_load(walked + i + 1);
      v128_t c = wasm_v128_load(walked + i + 2);
      v128_t d = wasm_v128_load(walked + i + 3);
      v128_t eq = wasm_v128_and(wasm_v128_and(wasm_i8x16_eq(a, b), wasm_i8x16_eq(b, c)), wasm_i8x16_eq(c, d));
      u32 mask = (u32)wasm_i8x16_bitmask(eq);
      if (mask == 0) {
        i += 16;
        continue;
      }
      u32 w = i + (u32)__builtin_ctz(mask);
      /* A window in the padding cannot happen; one ending the block has no count byte. */
      if (w + 4 >= n) break;
      run_at[run_count++] = w + 4;
      size += walked[w + 4];
      i = w + 5;
    }
  }
  size += n - run_count;
  MARK(4);
  out_size = size;
  return (int32_t)size;
}

__attribute__((export_name("finish_block"))) u32 finish_block(void) {
  MARK_START;
  if (!crc_ready) init_crc();
  u8 *out = heap_start() + input_cap;
  u8 *o = out;
  u32 from = 0;
  for (u32 k = 0; k < run_count; k++) {
    u32 at = run_at[k];
    u32 i = from;
    for (; i + 16 <= at; i += 16, o += 16) wasm_v128_store(o, wasm_v128_load(walked + i));
    for (; i < at; i++) *o++ = walked[i];
    u32 copies = walked[at];
    v128_t fill = wasm_i8x16_splat((int8_t)walked[at - 1]);
    u32 j = 0;
    for (; j + 16 <= copies; j += 16) wasm_v128_store(o + j, fill);
    for (; j < copies; j++) o[j] = walked[at - 1];
    o += copies;
    from = at + 1;
  }
  {
    u32 i = from;
    for (; i + 16 <= nblock; i += 16, o += 16) wasm_v128_store(o, wasm_v128_load(walked + i));
    for (; i < nblock; i++) *o++ = walked[i];
  }
  MARK(5);
  u32 crc = ~crc_update(0xffffffffu, out, (u32)(o - out));
  MARK(6);
  return crc;
}
