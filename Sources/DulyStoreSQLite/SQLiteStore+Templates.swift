import DulyCore
import DulyStore
import GRDB

extension SQLiteStore: TemplateStore {
    /// The organisation's template overrides, by template then language.
    public func templateOverrides(organisationID: String) async throws -> [TemplateOverride] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT template, language, subject, text, html FROM template_overrides
                    WHERE org_id = ? ORDER BY template, language
                    """,
                arguments: [organisationID]
            ).map {
                TemplateOverride(
                    template: $0["template"], language: $0["language"], subject: $0["subject"], text: $0["text"],
                    html: $0["html"])
            }
        }
    }

    /// Creates or replaces one override.
    public func saveTemplateOverride(_ override: TemplateOverride, organisationID: String) async throws {
        guard override.subject != nil || override.text != nil || override.html != nil else {
            throw StoreError.invalid("an override of '\(override.template)' needs a subject, a text or an HTML part")
        }
        try await write { db in
            try SQLiteStore.requireOrganisation(db, organisationID)
            try db.execute(
                sql: """
                    INSERT INTO template_overrides (org_id, template, language, subject, text, html)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (org_id, template, language) DO UPDATE SET
                        subject = excluded.subject, text = excluded.text, html = excluded.html
                    """,
                arguments: [
                    organisationID, override.template, override.language, override.subject, override.text,
                    override.html,
                ])
        }
    }

    /// Removes one override; true when there was one.
    public func removeTemplateOverride(
        template: String, language: String, organisationID: String
    ) async throws
        -> Bool
    {
        try await write { db in
            try db.execute(
                sql: "DELETE FROM template_overrides WHERE org_id = ? AND template = ? AND language = ?",
                arguments: [organisationID, template, language])
            return db.changesCount == 1
        }
    }
}
