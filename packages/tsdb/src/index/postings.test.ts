import { describe, expect, it } from "vitest";
import { intersectPostings, mergePostings, withoutPostings } from "./postings";
import { PostingsList } from "./postings-list";

describe("postings operations", () => {
  it("intersects, merges and subtracts sorted lists", () => {
    expect(
      intersectPostings([
        [1, 3, 5, 7],
        [3, 4, 5],
        [0, 3, 5, 9],
      ]),
    ).toEqual([3, 5]);
    expect(intersectPostings([[1, 2], []])).toEqual([]);
    expect(intersectPostings([])).toEqual([]);
    expect(mergePostings([[1, 4], [2, 4, 6], [0], [9]])).toEqual([0, 1, 2, 4, 6, 9]);
    expect(mergePostings([])).toEqual([]);
    expect(withoutPostings([1, 2, 3, 4, 5], [2, 4, 10])).toEqual([1, 3, 5]);
  });

  it("intersects a short list with a long one by binary search", () => {
    const long = Array.from({ length: 10_000 }, (_, i) => i * 2);
    expect(intersectPostings([long, [3, 4, 19_998, 20_000]])).toEqual([4, 19_998]);
  });

  it("agrees with a set-based reference on random lists", () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 50; round++) {
      const lists = Array.from({ length: 1 + Math.floor(rand() * 4) }, () =>
        [...new Set(Array.from({ length: Math.floor(rand() * 40) }, () => Math.floor(rand() * 60)))].sort(
          (a, b) => a - b,
        ),
      );
      const sets = lists.map((l) => new Set(l));
      const all = [...new Set(lists.flat())].sort((a, b) => a - b);
      expect(intersectPostings(lists)).toEqual(all.filter((id) => sets.every((s) => s.has(id))));
      expect(mergePostings(lists)).toEqual(all);
      expect(withoutPostings(lists[0], lists[lists.length - 1])).toEqual(
        lists[0].filter((id) => !sets[sets.length - 1].has(id)),
      );
    }
  });
});

describe("PostingsList", () => {
  it("grows, keeps order on late inserts and removes", () => {
    const list = new PostingsList({ name: "a", value: "b" }, 1);
    for (const id of [1, 2, 5, 9]) list.add(id);
    list.add(4);
    list.add(5);
    expect([...list.view()]).toEqual([1, 2, 4, 5, 9]);
    list.removeWhere((id) => id % 2 === 1);
    expect([...list.view()]).toEqual([2, 4]);
  });
});
