import DulyCore
import DulyStore
import PostgresNIO

extension PostgresStore: TemplateStore {
    /// The organisation's template overrides, by template then language.
    public func templateOverrides(organisationID: String) async throws -> [TemplateOverride] {
        let logger = self.logger
        return try await read { connection in
            try await connection.rows(
                """
                SELECT template, language, subject, text, html FROM template_overrides
                WHERE org_id = \(organisationID) ORDER BY template COLLATE "C", language COLLATE "C"
                """, logger: logger
            ).map { row in
                TemplateOverride(
                    template: try row.value("template"), language: try row.value("language"),
                    subject: try row.optional("subject"), text: try row.optional("text"), html: try row.optional("html")
                )
            }
        }
    }

    /// Creates or replaces one override.
    public func saveTemplateOverride(_ override: TemplateOverride, organisationID: String) async throws {
        guard override.subject != nil || override.text != nil || override.html != nil else {
            throw StoreError.invalid("an override of '\(override.template)' needs a subject, a text or an HTML part")
        }
        let logger = self.logger
        try await write { connection in
            try await requireOrganisation(organisationID, connection)
            try await connection.execute(
                """
                INSERT INTO template_overrides (org_id, template, language, subject, text, html)
                VALUES (\(organisationID), \(override.template), \(override.language), \(override.subject),
                    \(override.text), \(override.html))
                ON CONFLICT (org_id, template, language) DO UPDATE SET
                    subject = excluded.subject, text = excluded.text, html = excluded.html
                """, logger: logger)
        }
    }

    /// Removes one override; true when there was one.
    public func removeTemplateOverride(
        template: String, language: String, organisationID: String
    ) async throws -> Bool {
        let logger = self.logger
        return try await write { connection in
            let removed = try await connection.rows(
                """
                DELETE FROM template_overrides
                WHERE org_id = \(organisationID) AND template = \(template) AND language = \(language)
                RETURNING template
                """, logger: logger)
            return removed.count == 1
        }
    }
}
