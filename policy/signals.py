"""Any change to a policy row gives the rules a new version (policy.models.PolicyVersion), in the
change's own transaction: every process rebuilds its snapshots and quote answers from then on."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from policy import models, selectors

POLICY_MODELS = [
    models.RuleSet,
    models.RegistrationType,
    models.DocumentKind,
    models.MaterialGroup,
    models.MaterialOption,
    models.CatalogueRule,
    models.SettlementScope,
    models.SpecialDiseaseRule,
    models.BenefitRow,
]


def _changed(**kwargs):
    selectors.invalidate()


def connect():
    for model in POLICY_MODELS:
        post_save.connect(_changed, sender=model, dispatch_uid=f"policy-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"policy-delete-{model.__name__}")
    m2m_changed.connect(
        _changed, sender=models.MaterialOption.document_kinds.through, dispatch_uid="policy-m2m-documents"
    )
