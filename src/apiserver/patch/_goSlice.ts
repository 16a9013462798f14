// Two pieces of Go runtime behaviour that upstream's strategic merge results depend on.
//
// Slices: patch.go deletes list entries with `append(s[:i], s[i+1:]...)` and appends new ones
// with `append`, both writing into the backing array of the live object's list while another
// variable still views that array at its original length. The server-side order of list
// elements is computed from that view, so it sees shifted and appended elements; GoSlice keeps
// the backing array shared the same way. A live list starts with cap == len, as the apiserver's
// deep copy of the stored object leaves it.
//
// Sorting: sort.SliceStable is called with a `less` that is not a strict weak order when an
// element is missing from the ordering list, so the exact algorithm (insertion sort over blocks
// of 20, then SymMerge) decides the result; it is reproduced here step for step.
import type { JsonValue } from './_json.js';

export interface GoSlice {
  readonly buf: JsonValue[];
  readonly off: number;
  readonly len: number;
  readonly cap: number;
}

/** A slice over the whole of `arr`, sharing it as its backing array. */
export function goSliceOf(arr: JsonValue[]): GoSlice {
  return { buf: arr, off: 0, len: arr.length, cap: arr.length };
}

/** The elements the slice currently views, as a new array. */
export function sliceItems(s: GoSlice): JsonValue[] {
  return s.buf.slice(s.off, s.off + s.len);
}

/** s[lo:hi] */
export function reslice(s: GoSlice, range: { lo: number; hi: number }): GoSlice {
  const { lo, hi } = range;
  return { buf: s.buf, off: s.off + lo, len: hi - lo, cap: s.cap - lo };
}

/** s[i] = v */
export function goPut(s: GoSlice, i: number, v: JsonValue): void {
  s.buf[s.off + i] = v;
}

/** append(s, vals...): in place while capacity lasts, otherwise into a new backing array. */
export function goAppend(s: GoSlice, vals: readonly JsonValue[]): GoSlice {
  const len = s.len + vals.length;
  if (len <= s.cap) {
    vals.forEach((v, i) => {
      s.buf[s.off + s.len + i] = v;
    });
    return { ...s, len };
  }
  // The growth factor is unobservable here: nothing else views a freshly allocated array.
  return { buf: [...sliceItems(s), ...vals], off: 0, len, cap: Math.max(len, 2 * s.cap) };
}

/** sort.SliceStable(list, less), in place. */
export function goStableSort<T>(list: T[], less: (a: T, b: T) => boolean): void {
  const data = {
    less: (i: number, j: number) => less(list[i] as T, list[j] as T),
    swap: (i: number, j: number) => {
      const t = list[i] as T;
      list[i] = list[j] as T;
      list[j] = t;
    },
  };
  stable(data, list.length);
}

interface LessSwap {
  less(i: number, j: number): boolean;
  swap(i: number, j: number): void;
}

function stable(data: LessSwap, n: number): void {
  let blockSize = 20;
  let a = 0;
  let b = blockSize;
  while (b <= n) {
    insertionSort(data, a, b);
    a = b;
    b += blockSize;
  }
  insertionSort(data, a, n);
  while (blockSize < n) {
    a = 0;
    b = 2 * blockSize;
    while (b <= n) {
      symMerge(data, a, a + blockSize, b);
      a = b;
      b += 2 * blockSize;
    }
    const m = a + blockSize;
    if (m < n) symMerge(data, a, m, n);
    blockSize *= 2;
  }
}

function insertionSort(data: LessSwap, a: number, b: number): void {
  for (let i = a + 1; i < b; i++) {
    for (let j = i; j > a && data.less(j, j - 1); j--) data.swap(j, j - 1);
  }
}

function symMerge(data: LessSwap, a: number, m: number, b: number): void {
  if (m - a === 1) {
    let i = m;
    let j = b;
    while (i < j) {
      const h = (i + j) >>> 1;
      if (data.less(h, a)) i = h + 1;
      else j = h;
    }
    for (let k = a; k < i - 1; k++) data.swap(k, k + 1);
    return;
  }
  if (b - m === 1) {
    let i = a;
    let j = m;
    while (i < j) {
      const h = (i + j) >>> 1;
      if (!data.less(m, h)) i = h + 1;
      else j = h;
    }
    for (let k = m; k > i; k--) data.swap(k, k - 1);
    return;
  }
  const mid = (a + b) >>> 1;
  const n = mid + m;
  let start: number;
  let r: number;
  if (m > mid) {
    start = n - b;
    r = mid;
  } else {
    start = a;
    r = m;
  }
  const p = n - 1;
  while (start < r) {
    const c = (start + r) >>> 1;
    if (!data.less(p - c, c)) start = c + 1;
    else r = c;
  }
  const end = n - start;
  if (start < m && m < end) rotate(data, start, m, end);
  if (a < start && start < mid) symMerge(data, a, start, mid);
  if (mid < end && end < b) symMerge(data, mid, end, b);
}

function rotate(data: LessSwap, a: number, m: number, b: number): void {
  let i = m - a;
  let j = b - m;
  while (i !== j) {
    if (i > j) {
      swapRange(data, m - i, m, j);
      i -= j;
    } else {
      swapRange(data, m - i, m + j - i, i);
      j -= i;
    }
  }
  swapRange(data, m - i, m, i);
}

function swapRange(data: LessSwap, a: number, b: number, n: number): void {
  for (let i = 0; i < n; i++) data.swap(a + i, b + i);
}
