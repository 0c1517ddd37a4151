import DulyCore
import Yams

/// Playbooks as people write them: YAML with snake_case keys, checked so that every error names the file, line,
/// column and key.
///
/// ```yaml
/// name: standard
/// non_payment_after_days: 30
/// working_days: [mon, tue, wed, thu, fri]
/// business_hours: "9-17"
/// thank_you: true                 # thank the client when a chased invoice is paid in full
/// steps:
///   - id: pre_due_reminder
///     stage: pre_due            # pre_due | delayed | non_payment
///     offset_days: -7
///     channel: email            # email | letter | call | meeting | sms
/// ```
///
/// Only `steps` is required; every other top-level key defaults as `Playbook.init` does, and `name` to the file name
/// without its extension. A step needs `id`, `stage`, `offset_days` and `channel`. `gap_days` defaults to the
/// offset difference to the previous step when both count from the same anchor (at least 1), to 7 when they do not,
/// and to 1 for the first step, which has no previous step to wait for. Unknown keys are errors, so typos are caught.
public enum PlaybookYAML {
    /// The playbook an organisation adopted, as the version it is (`Playbook.version`); the built-in one when it
    /// adopted none.
    ///
    /// - Throws: `PlaybookYAMLError` when the kept text no longer reads (it was checked when adopted).
    public static func playbook(adopted: AdoptedPlaybook?) throws(PlaybookYAMLError) -> Playbook {
        guard let adopted else { return .standard }
        var playbook = try load(adopted.source, fileName: "adopted playbook version \(adopted.version)")
        playbook.version = adopted.version
        return playbook
    }

    /// Parses and checks a playbook; the error lists every problem found, each located in `fileName`.
    public static func load(_ text: String, fileName: String) throws(PlaybookYAMLError) -> Playbook {
        var decoder = PlaybookDecoder(file: fileName)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw PlaybookYAMLError(issues: [decoder.issue(for: error, in: text)])
        }
        guard let playbook = decoder.playbook(from: root) else { throw PlaybookYAMLError(issues: decoder.issues) }
        let problems = playbook.problems()
        guard problems.isEmpty else { throw PlaybookYAMLError(issues: decoder.locate(problems, in: playbook)) }
        return playbook
    }
}

/// Why a playbook file was refused: every problem found, each with its file, line, column and key.
public struct PlaybookYAMLError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The problems, in the order they appear in the file (rule violations after syntax and type errors).
    public var issues: [ImportIssue]

    /// Wraps the problems found.
    public init(issues: [ImportIssue]) {
        self.issues = issues
    }

    /// One `file:line:column: key: message` line per problem.
    public var description: String { issues.map(\.description).joined(separator: "\n") }
}

// MARK: - Decoding

private let topLevelKeys = [
    "name", "non_payment_after_days", "non_payment_after_broken_promises", "max_contacts_per_7_days", "working_days",
    "promise_grace_days", "business_hours", "thank_you", "instalment_reminder_days",
    "settlement_approval_above_percent", "max_external_escalations_per_month", "escalation_retry_days",
    "paid_claim_pause_days", "steps",
]

private let stepKeys = [
    "id", "stage", "offset_days", "anchor", "gap_days", "channel", "template", "requires_approval", "escalates_to",
    "min_open_amount", "customer_tags", "settlement_offer_percent", "offer_valid_days",
]

private let weekdayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

private struct Location {
    var line: Int
    var column: Int

    init(_ mark: Mark?) {
        line = mark?.line ?? 1
        column = mark?.column ?? 1
    }
}

// Where a mapping sits and where each of its values does, to point problems found later at the right place.
private struct MappingLocations {
    var mapping: Location
    var values: [String: Location] = [:]

    func location(of key: String) -> Location { values[key] ?? mapping }
}

private struct PlaybookDecoder {
    let file: String
    var issues: [ImportIssue] = []
    var topLevel = MappingLocations(mapping: Location(nil))
    var steps: [MappingLocations] = []

    init(file: String) {
        self.file = file
    }

    mutating func report(_ location: Location, _ key: String?, _ message: String) {
        issues.append(
            ImportIssue(file: file, line: location.line, column: location.column, field: key, message: message))
    }

    // MARK: Playbook

    mutating func playbook(from root: Node?) -> Playbook? {
        guard let root, case .mapping(let mapping) = root else {
            report(Location(root?.mark), nil, "expected a playbook: a mapping with 'name', 'steps' and settings")
            return nil
        }
        topLevel = MappingLocations(mapping: Location(mapping.mark))
        let defaults = Playbook(name: "", steps: [])
        var name = baseName(of: file)
        var nonPaymentAfterDays = defaults.nonPaymentAfterDaysPastDue
        var brokenPromises = defaults.nonPaymentAfterBrokenPromises
        var maxContacts = defaults.maxContactsPerSevenDays
        var workingDays = defaults.workingDays
        var graceDays = defaults.promiseGraceDays
        var businessHours = defaults.businessHours
        var thankYou = defaults.thankYou
        var reminderDays = defaults.instalmentReminderDays
        var approvalAbove = defaults.settlementApprovalAboveBasisPoints
        var externalCap = defaults.maxExternalEscalationsPerMonth
        var retryDays = defaults.escalationRetryDays
        var paidClaimDays = defaults.paidClaimPauseDays
        var drafts: [StepDraft]?
        for (keyNode, value) in mapping {
            guard let key = self.key(keyNode, allowed: topLevelKeys, in: "a playbook") else { continue }
            topLevel.values[key] = Location(value.mark)
            if isNull(value) && key != "steps" { continue }
            switch key {
            case "name": name = string(value, key) ?? name
            case "non_payment_after_days": nonPaymentAfterDays = integer(value, key) ?? nonPaymentAfterDays
            case "non_payment_after_broken_promises": brokenPromises = integer(value, key) ?? brokenPromises
            case "max_contacts_per_7_days": maxContacts = integer(value, key) ?? maxContacts
            case "working_days": workingDays = weekdays(value, key) ?? workingDays
            case "promise_grace_days": graceDays = integer(value, key) ?? graceDays
            case "business_hours": businessHours = hours(value, key) ?? businessHours
            case "thank_you": thankYou = boolean(value, key) ?? thankYou
            case "instalment_reminder_days": reminderDays = integer(value, key) ?? reminderDays
            case "settlement_approval_above_percent": approvalAbove = basisPoints(value, key) ?? approvalAbove
            case "max_external_escalations_per_month": externalCap = integer(value, key) ?? externalCap
            case "escalation_retry_days": retryDays = integer(value, key) ?? retryDays
            case "paid_claim_pause_days": paidClaimDays = integer(value, key) ?? paidClaimDays
            default: drafts = stepDrafts(value)
            }
        }
        if topLevel.values["steps"] == nil {
            report(topLevel.mapping, "steps", "missing; a playbook needs its list of steps")
        }
        guard issues.isEmpty, let drafts else { return nil }
        return Playbook(
            name: name, steps: resolveGaps(drafts), nonPaymentAfterDaysPastDue: nonPaymentAfterDays,
            nonPaymentAfterBrokenPromises: brokenPromises, maxContactsPerSevenDays: maxContacts,
            workingDays: workingDays, promiseGraceDays: graceDays, businessHours: businessHours, thankYou: thankYou,
            instalmentReminderDays: reminderDays, settlementApprovalAboveBasisPoints: approvalAbove,
            maxExternalEscalationsPerMonth: externalCap, escalationRetryDays: retryDays,
            paidClaimPauseDays: paidClaimDays)
    }

    // MARK: Steps

    struct StepDraft {
        var step: PlaybookStep
        var gapGiven: Bool
    }

    mutating func stepDrafts(_ node: Node) -> [StepDraft]? {
        guard case .sequence(let sequence) = node else {
            report(Location(node.mark), "steps", "expected a list of steps, found \(describe(node))")
            return nil
        }
        var drafts: [StepDraft] = []
        for item in sequence {
            if let draft = stepDraft(item) { drafts.append(draft) }
        }
        return drafts.count == sequence.count ? drafts : nil
    }

    mutating func stepDraft(_ node: Node) -> StepDraft? {
        guard case .mapping(let mapping) = node else {
            report(
                Location(node.mark), "steps",
                "expected a step (a mapping with id, stage, offset_days, channel), found \(describe(node))")
            steps.append(MappingLocations(mapping: Location(node.mark)))
            return nil
        }
        var locations = MappingLocations(mapping: Location(mapping.mark))
        let issuesBefore = issues.count
        var id: String?
        var stage: Stage?
        var offset: Int?
        var anchor = StepAnchor.dueDate
        var gap: Int?
        var channel: Channel?
        var template: String?
        var requiresApproval = false
        var escalatesTo: EscalationTarget?
        var minimum: Int?
        var tags: Set<String> = []
        var offerShare: Int?
        var offerDays = 14
        for (keyNode, value) in mapping {
            guard let key = self.key(keyNode, allowed: stepKeys, in: "a step") else { continue }
            locations.values[key] = Location(value.mark)
            if isNull(value) { continue }
            switch key {
            case "id": id = string(value, key)
            case "stage": stage = choice(value, key, Stage.allCases, kind: "a stage")
            case "offset_days": offset = integer(value, key)
            case "anchor": anchor = choice(value, key, [.dueDate, .stageEntry], kind: "an anchor") ?? anchor
            case "gap_days": gap = integer(value, key)
            case "channel": channel = choice(value, key, Channel.allCases, kind: "a channel")
            case "template": template = string(value, key)
            case "requires_approval": requiresApproval = boolean(value, key) ?? requiresApproval
            case "escalates_to":
                escalatesTo = choice(value, key, EscalationTarget.allCases, kind: "an escalation target")
            case "min_open_amount": minimum = milliUnits(value, key)
            case "settlement_offer_percent": offerShare = basisPoints(value, key)
            case "offer_valid_days": offerDays = integer(value, key) ?? offerDays
            default: tags = Set(strings(value, key) ?? [])
            }
        }
        steps.append(locations)
        for key in ["id", "stage", "offset_days", "channel"] where locations.values[key] == nil {
            report(locations.mapping, key, "missing; every step needs id, stage, offset_days and channel")
        }
        guard issues.count == issuesBefore, let id, let stage, let offset, let channel else { return nil }
        let step = PlaybookStep(
            id: id, stage: stage, anchor: anchor, offsetDays: offset, gapDays: gap ?? 0, channel: channel,
            template: template, requiresApproval: requiresApproval, escalatesTo: escalatesTo,
            minimumOpenMilliUnits: minimum, customerTags: tags, settlementOfferBasisPoints: offerShare,
            offerValidDays: offerDays)
        return StepDraft(step: step, gapGiven: gap != nil)
    }

    func resolveGaps(_ drafts: [StepDraft]) -> [PlaybookStep] {
        var steps: [PlaybookStep] = []
        for draft in drafts {
            var step = draft.step
            if !draft.gapGiven { step.gapDays = PlaybookYAML.defaultGap(for: step, after: steps.last) }
            steps.append(step)
        }
        return steps
    }

    // MARK: Problems from the rules

    // Points each problem `Playbook.problems()` found at its step and key. Problems come in step order and a
    // duplicate id is reported on its second occurrence, so a cursor that only moves forward finds the right step
    // even when two steps share an id.
    func locate(_ problems: [PlaybookProblem], in playbook: Playbook) -> [ImportIssue] {
        var cursor = 0
        return problems.map { problem in
            var location = topLevel.location(of: problem.field)
            var message = problem.message
            if let stepID = problem.step {
                let ids = playbook.steps.map(\.id)
                let index = ids.indices.dropFirst(cursor).first { index in
                    ids[index] == stepID && (problem.field != "id" || ids[..<index].contains(stepID))
                }
                if let index {
                    cursor = index
                    location = steps[index].location(of: problem.field)
                }
                message = "step '\(stepID)': " + message
            }
            return ImportIssue(
                file: file, line: location.line, column: location.column, field: problem.field, message: message)
        }
    }

    // MARK: Values

    mutating func key(_ node: Node, allowed: [String], in container: String) -> String? {
        guard case .scalar(let scalar) = node else {
            report(Location(node.mark), nil, "expected a key name, found \(describe(node))")
            return nil
        }
        let key = scalar.string
        guard allowed.contains(key) else {
            var message = "unknown key in \(container)"
            if let guess = closest(to: key, in: allowed) { message += "; did you mean '\(guess)'?" }
            message += " The keys are: " + allowed.joined(separator: ", ")
            report(Location(node.mark), key, message)
            return nil
        }
        return key
    }

    mutating func scalarText(_ node: Node, _ key: String, expected: String) -> String? {
        guard case .scalar(let scalar) = node else {
            report(Location(node.mark), key, "expected \(expected), found \(describe(node))")
            return nil
        }
        return scalar.string
    }

    mutating func string(_ node: Node, _ key: String) -> String? {
        scalarText(node, key, expected: "text")
    }

    mutating func integer(_ node: Node, _ key: String) -> Int? {
        guard let text = scalarText(node, key, expected: "a whole number") else { return nil }
        guard let value = Int(text) else {
            report(Location(node.mark), key, "expected a whole number, found '\(text)'")
            return nil
        }
        return value
    }

    mutating func boolean(_ node: Node, _ key: String) -> Bool? {
        guard let text = scalarText(node, key, expected: "true or false") else { return nil }
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default:
            report(Location(node.mark), key, "expected true or false, found '\(text)'")
            return nil
        }
    }

    mutating func choice<Value: RawRepresentable<String>>(
        _ node: Node, _ key: String, _ cases: [Value], kind: String
    ) -> Value? {
        let accepted = cases.map(\.rawValue).joined(separator: ", ")
        guard let text = scalarText(node, key, expected: "one of \(accepted)") else { return nil }
        guard let value = Value(rawValue: text) else {
            report(Location(node.mark), key, "'\(text)' is not \(kind); expected one of \(accepted)")
            return nil
        }
        return value
    }

    mutating func strings(_ node: Node, _ key: String) -> [String]? {
        guard case .sequence(let sequence) = node else {
            report(Location(node.mark), key, "expected a list, like [key_account], found \(describe(node))")
            return nil
        }
        var values: [String] = []
        for item in sequence {
            guard let text = scalarText(item, key, expected: "text") else { return nil }
            values.append(text)
        }
        return values
    }

    mutating func weekdays(_ node: Node, _ key: String) -> Set<Weekday>? {
        guard let names = strings(node, key) else { return nil }
        var days: Set<Weekday> = []
        for (item, name) in zip(node.sequence ?? [], names) {
            guard let day = Weekday(name: name) else {
                report(
                    Location(item.mark), key,
                    "'\(name)' is not a weekday; expected \(weekdayNames.joined(separator: ", "))")
                return nil
            }
            days.insert(day)
        }
        return days
    }

    mutating func hours(_ node: Node, _ key: String) -> ClosedRange<Int>? {
        let expected = "hours as \"START-END\" from 0 to 24, like \"9-17\""
        guard let text = scalarText(node, key, expected: expected) else { return nil }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = Int(parts[0].trimmingCharacters(" ")),
            let end = Int(parts[1].trimmingCharacters(" ")), 0 <= start, start < end, end <= 24
        else {
            report(Location(node.mark), key, "expected \(expected), found '\(text)'")
            return nil
        }
        return start...end
    }

    // A decimal amount in major units with at most three decimals, as thousandths: "500.00" is 500_000.
    mutating func milliUnits(_ node: Node, _ key: String) -> Int? {
        let expected = "an amount like \"500.00\" (not negative, at most 3 decimals)"
        guard let text = scalarText(node, key, expected: expected) else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let digits = { (part: Substring) in part.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        }
        guard (1...2).contains(parts.count), (1...15).contains(parts[0].count), digits(parts[0]),
            parts.count == 1 || ((1...3).contains(parts[1].count) && digits(parts[1])),
            let whole = Int(parts[0])
        else {
            report(Location(node.mark), key, "expected \(expected), found '\(text)'")
            return nil
        }
        var fraction = 0
        if parts.count == 2 {
            fraction = Int(parts[1])!
            for _ in parts[1].count..<3 { fraction *= 10 }
        }
        return whole * 1000 + fraction
    }

    // A percentage with at most two decimals ("92.5"), as basis points (9250).
    mutating func basisPoints(_ node: Node, _ key: String) -> Int? {
        let issuesBefore = issues.count
        guard let milli = milliUnits(node, key) else {
            // Say what a percentage looks like rather than what an amount does.
            if issues.count > issuesBefore {
                issues[issues.count - 1].message = "expected a percentage like 90 or 92.5"
            }
            return nil
        }
        guard milli % 10 == 0 else {
            report(Location(node.mark), key, "expected a percentage with at most two decimals")
            return nil
        }
        return milli / 10
    }

    func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar): return "'\(scalar.string)'"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .alias: return "an alias"
        }
    }

    // MARK: YAML syntax errors

    func issue(for error: any Error, in text: String) -> ImportIssue {
        guard let error = error as? YamlError else {
            return ImportIssue(file: file, line: 1, column: 1, message: "not valid YAML: \(error)")
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let context = context.map { ", \($0.text) at line \($0.mark.line), column \($0.mark.column)" } ?? ""
            return ImportIssue(
                file: file, line: mark.line, column: mark.column, message: "not valid YAML: \(problem)\(context)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ImportIssue(
                file: file, line: context.mark.line, column: context.mark.column, field: duplicates.first,
                message: "this key appears twice in the same mapping")
        case .reader(let problem, let offset, _, _):
            let before = offset.map { text.utf8.prefix($0) } ?? text.utf8.prefix(0)
            let line = before.filter { $0 == 10 }.count + 1
            let column = before.reversed().prefix { $0 != 10 }.count + 1
            return ImportIssue(file: file, line: line, column: column, message: "cannot read the text: \(problem)")
        default:
            return ImportIssue(file: file, line: 1, column: 1, message: "not valid YAML: \(error)")
        }
    }
}

extension PlaybookYAML {
    /// The gap a step gets when its YAML gives none (see the type's documentation).
    static func defaultGap(for step: PlaybookStep, after previous: PlaybookStep?) -> Int {
        guard let previous else { return 1 }
        guard previous.anchor == step.anchor else { return 7 }
        return max(1, step.offsetDays - previous.offsetDays)
    }
}

// "standard.yaml" -> "standard": what a playbook without a name is called.
private func baseName(of file: String) -> String {
    let last = file.split(separator: "/").last.map(String.init) ?? file
    guard let dot = last.lastIndex(of: "."), dot != last.startIndex else { return last }
    return String(last[..<dot])
}

// The allowed key within two edits of a misspelt one, for "did you mean".
private func closest(to key: String, in allowed: [String]) -> String? {
    func distance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
    let typed = Array(key.lowercased())
    let best = allowed.map { ($0, distance(typed, Array($0))) }.min { $0.1 < $1.1 }
    guard let best, best.1 <= 2 else { return nil }
    return best.0
}

extension Substring {
    fileprivate func trimmingCharacters(_ character: Character) -> Substring {
        var text = self
        while text.first == character { text = text.dropFirst() }
        while text.last == character { text = text.dropLast() }
        return text
    }
}
