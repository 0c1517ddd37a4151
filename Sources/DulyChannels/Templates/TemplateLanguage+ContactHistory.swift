import DulyCore

// The words the internal note to the manager uses to state what was tried: a channel and what came of it.
extension TemplateLanguage {
    /// A channel as a note names it (`email`, `Anruf`, `courrier`).
    func name(of channel: Channel) -> String {
        switch (self, channel) {
        case (.en, _): return channel == .sms ? "text message" : channel.rawValue
        case (.de, .email): return "E-Mail"
        case (.de, .letter): return "Brief"
        case (.de, .call): return "Anruf"
        case (.de, .meeting): return "Termin"
        case (.de, .sms): return "SMS"
        case (.fr, .email): return "e-mail"
        case (.fr, .letter): return "courrier"
        case (.fr, .call): return "appel"
        case (.fr, .meeting): return "rendez-vous"
        case (.fr, .sms): return "SMS"
        case (.nl, .email): return "e-mail"
        case (.nl, .letter): return "brief"
        case (.nl, .call): return "telefoongesprek"
        case (.nl, .meeting): return "afspraak"
        case (.nl, .sms): return "sms"
        }
    }

    /// What came of an attempt, as a note states it.
    func name(of outcome: EscalationReview.Attempt.Outcome) -> String {
        switch (self, outcome) {
        case (.en, _): return outcome.rawValue
        case (.de, .sent): return "versandt"
        case (.de, .reached): return "erreicht"
        case (.de, .notReached): return "nicht erreicht"
        case (.de, .failed): return "nicht zugestellt"
        case (.de, .skipped): return "nicht ausgeführt"
        case (.fr, .sent): return "envoyé"
        case (.fr, .reached): return "joint"
        case (.fr, .notReached): return "non joint"
        case (.fr, .failed): return "non remis"
        case (.fr, .skipped): return "non effectué"
        case (.nl, .sent): return "verzonden"
        case (.nl, .reached): return "bereikt"
        case (.nl, .notReached): return "niet bereikt"
        case (.nl, .failed): return "niet bezorgd"
        case (.nl, .skipped): return "niet uitgevoerd"
        }
    }
}
