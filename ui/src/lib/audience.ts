// The audience screen's shapes: age × gender as a small table of shares, countries by name.
import type { DemographicBucket, DemographicGroup } from "./bindings";

export interface AgeGender {
  ages: string[];
  genders: { key: string; label: string }[];
  /** shares[age][gender], 0..1 of all followers Meta listed. */
  shares: number[][];
  /** The largest share, for scaling bars. */
  max: number;
}

const GENDERS: Record<string, string> = { F: "Women", M: "Men", U: "Unspecified" };
const GENDER_ORDER = ["F", "M", "U"];

/** Meta's `age,gender` buckets ("18-24,F") as ages × genders, youngest first. */
export function ageGender(group: DemographicGroup): AgeGender {
  const total = group.buckets.reduce((sum, b) => sum + b.value, 0);
  const cells = new Map<string, number>();
  const ages = new Set<string>();
  const genders = new Set<string>();
  for (const bucket of group.buckets) {
    const [age, gender] = bucket.key.split(",");
    if (!age || !gender) continue;
    const g = gender.toUpperCase();
    ages.add(age);
    genders.add(g);
    cells.set(`${age}|${g}`, (cells.get(`${age}|${g}`) ?? 0) + bucket.value);
  }
  const ageList = [...ages].sort((a, b) => parseInt(a, 10) - parseInt(b, 10) || a.localeCompare(b));
  const genderList = [...genders].sort(
    (a, b) => (GENDER_ORDER.indexOf(a) + 1 || 99) - (GENDER_ORDER.indexOf(b) + 1 || 99),
  );
  const shares = ageList.map((age) =>
    genderList.map((g) => (total > 0 ? (cells.get(`${age}|${g}`) ?? 0) / total : 0)),
  );
  return {
    ages: ageList,
    genders: genderList.map((key) => ({ key, label: GENDERS[key] ?? key })),
    shares,
    max: Math.max(0, ...shares.flat()),
  };
}

let regionNames: Intl.DisplayNames | null = null;

/** "DE" → "Germany"; anything that is not a region code stays as it is. */
export function countryName(code: string): string {
  if (!/^[A-Za-z]{2}$/.test(code)) return code;
  try {
    regionNames ??= new Intl.DisplayNames(["en"], { type: "region" });
    return regionNames.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** The first `count` buckets (Meta lists them largest first) and what the rest add up to. */
export function topBuckets(
  buckets: DemographicBucket[],
  count: number,
): { top: DemographicBucket[]; otherShare: number } {
  const sorted = [...buckets].sort((a, b) => b.value - a.value);
  const top = sorted.slice(0, count);
  const otherShare = sorted.slice(count).reduce((sum, b) => sum + b.share, 0);
  return { top, otherShare };
}

/** Age buckets youngest first ("13-17", "18-24", …, "65+"), as people read an age chart. */
export function byAge(buckets: DemographicBucket[]): DemographicBucket[] {
  return [...buckets].sort((a, b) => parseInt(a.key, 10) - parseInt(b.key, 10) || a.key.localeCompare(b.key));
}
