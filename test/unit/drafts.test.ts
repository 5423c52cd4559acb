// Drafts kept per room, and cleared all at once on sign-out.
import { describe, expect, it } from "vitest";
import {
  clearAllDrafts,
  DRAFT_PREFIX,
  type ListableStore,
  loadDraft,
  saveDraft,
} from "../../web/src/lib/drafts.ts";

class FakeStorage implements ListableStore {
  readonly data = new Map<string, string>();
  get length() {
    return this.data.size;
  }
  key(index: number) {
    return [...this.data.keys()][index] ?? null;
  }
  getItem(key: string) {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.data.set(key, value);
  }
  removeItem(key: string) {
    this.data.delete(key);
  }
}

describe("drafts", () => {
  it("keeps one draft per room under the chattr:draft: prefix, and drops a blank one", () => {
    const store = new FakeStorage();
    saveDraft("general", "half a thought", store);
    saveDraft("book-club", "line one\nline two", store);
    expect(loadDraft("general", store)).toBe("half a thought");
    expect(loadDraft("book-club", store)).toBe("line one\nline two");
    expect(loadDraft("elsewhere", store)).toBe("");
    expect([...store.data.keys()].every((k) => k.startsWith(DRAFT_PREFIX))).toBe(true);
    saveDraft("general", "   ", store);
    expect(store.data.has(`${DRAFT_PREFIX}general`)).toBe(false);
  });

  it("clearAllDrafts removes every draft and nothing else", () => {
    const store = new FakeStorage();
    for (const room of ["a", "b", "c"]) saveDraft(room, `draft ${room}`, store);
    store.setItem("chattr.outbox.v1:u:a", "[]");
    store.setItem("theme", "dark");
    clearAllDrafts(store);
    expect([...store.data.keys()].sort()).toEqual(["chattr.outbox.v1:u:a", "theme"]);
  });

  it("survives storage that throws", () => {
    const broken: ListableStore = {
      length: 1,
      key: () => {
        throw new Error("blocked");
      },
      getItem: () => {
        throw new Error("blocked");
      },
      setItem: () => {
        throw new Error("quota");
      },
      removeItem: () => {
        throw new Error("blocked");
      },
    };
    expect(loadDraft("a", broken)).toBe("");
    expect(() => saveDraft("a", "x", broken)).not.toThrow();
    expect(() => clearAllDrafts(broken)).not.toThrow();
    expect(loadDraft("a", null)).toBe("");
  });
});
