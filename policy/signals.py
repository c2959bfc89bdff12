"""Any change to a policy row invalidates the cached rule-set snapshots in every process."""

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
    # The version is replaced now, for this process, and again after commit so that no other
    # process keeps a snapshot it may have rebuilt from the rows before the commit.
    selectors.invalidate()


def connect():
    for model in POLICY_MODELS:
        post_save.connect(_changed, sender=model, dispatch_uid=f"policy-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"policy-delete-{model.__name__}")
    m2m_changed.connect(
        _changed, sender=models.MaterialOption.document_kinds.through, dispatch_uid="policy-m2m-documents"
    )
