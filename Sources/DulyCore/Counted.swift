/// A count with its noun in the right number: `1 action`, `2 actions`, `0 invoices`, `3 entries`.
///
/// English plural of the noun unless `plural` is given: `-y` after a consonant becomes `-ies`, `-s`, `-x`, `-ch`
/// and `-sh` take `-es`, anything else `-s`. The one helper every count a person reads goes through.
public func counted(_ count: Int, _ singular: String, plural: String? = nil) -> String {
    "\(count) " + (count == 1 ? singular : plural ?? pluralOf(singular))
}

private func pluralOf(_ noun: String) -> String {
    let vowels: Set<Character> = ["a", "e", "i", "o", "u"]
    if noun.hasSuffix("y"), let before = noun.dropLast().last, !vowels.contains(before) {
        return noun.dropLast() + "ies"
    }
    if ["s", "x", "ch", "sh"].contains(where: noun.hasSuffix) { return noun + "es" }
    return noun + "s"
}
