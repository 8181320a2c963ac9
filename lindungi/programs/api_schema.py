"""Names for the programs area's choice sets in the OpenAPI schema. drf-spectacular names an enum
after its field ("status", "kind", "sex", "level"), which collides across apps; merge this into
`SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]` (settings are shared, so the merge is done there)."""

ENUM_NAME_OVERRIDES = {
    "ProgramStatusEnum": "lindungi.programs.models.Program.Status",
    "ActivityStatusEnum": "lindungi.programs.models.Activity.Status",
    "DonorKindEnum": "lindungi.programs.models.Donor.Kind",
    "PartnerKindEnum": "lindungi.programs.models.Partner.Kind",
    "ActivityOutputKindEnum": "lindungi.programs.models.ActivityOutput.Kind",
    "LearningEntryKindEnum": "lindungi.programs.models.LearningEntry.Kind",
    "RegistrationStatusEnum": "lindungi.programs.models.EventRegistration.Status",
    "ParticipantSexEnum": "lindungi.programs.models.Sex",
    "ResultLevelEnum": "lindungi.programs.models.Result.Level",
    "IndicatorMeasureEnum": "lindungi.programs.models.Indicator.Measure",
    "IndicatorComputationEnum": "lindungi.programs.models.Indicator.Computation",
    "IndicatorMetricEnum": "lindungi.programs.models.Indicator.Metric",
    "IndicatorRuleScopeEnum": "lindungi.programs.models.Indicator.RuleScope",
    "IndicatorRuleSexEnum": "lindungi.programs.models.Indicator.RuleSex",
    "IndicatorDimensionEnum": "lindungi.programs.models.Indicator.Dimension",
}
