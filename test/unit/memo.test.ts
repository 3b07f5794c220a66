import { describe, expect, it } from "vitest";
import { memoize, memoize2, memoizeOn } from "../../src/model/memo.js";

describe("memo", () => {
  it("computes each answer once, undefined answers included", () => {
    const calls: string[] = [];
    const f = memoize((k: string) => {
      calls.push(k);
      return k === "none" ? undefined : k.length;
    });
    expect([f("abc"), f("abc"), f("none"), f("none")]).toEqual([3, 3, undefined, undefined]);
    expect(calls).toEqual(["abc", "none"]);
  });

  it("stays bounded: a full cache is emptied and refilled", () => {
    let calls = 0;
    const f = memoize((k: string) => (calls++, k), 2);
    f("a");
    f("b");
    f("c"); // full: emptied, then holds "c"
    f("c");
    f("a");
    expect(calls).toBe(4);
  });

  it("keys two-string answers by both strings and passes the extra argument through", () => {
    const seen: (number | undefined)[] = [];
    const f = memoize2((a: string, b: string, x?: number) => (seen.push(x), `${a}/${b}`));
    expect(f("s3|object", "arn:aws:s3:::b/k", 1)).toBe("s3|object/arn:aws:s3:::b/k");
    expect(f("s3|object", "arn:aws:s3:::b/k", 2)).toBe("s3|object/arn:aws:s3:::b/k");
    expect(f("s3|bucket", "arn:aws:s3:::b/k", 3)).toBe("s3|bucket/arn:aws:s3:::b/k");
    expect(seen).toEqual([1, 3]);
  });

  it("keys object-and-string answers by the object's identity", () => {
    let calls = 0;
    const f = memoizeOn((o: { n: number }, s: string) => (calls++, o.n + s.length));
    const a = { n: 1 };
    expect([f(a, "xy"), f(a, "xy"), f({ n: 1 }, "xy")]).toEqual([3, 3, 3]);
    expect(calls).toBe(2);
  });
});
