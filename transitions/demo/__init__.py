"""Demo data of the transitions app: the local canon and parent networks."""

from django.utils import timezone


def seed_municipality(*, source, rng, municipalities) -> dict[str, int]:
    """The canon and the parent networks of the municipality-scale demo, after the families ``source``
    (a flushed ``BulkWriter``) holds; the number of rows written per table."""
    from transitions.demo.canon import canon_seed, canon_uses_seed
    from transitions.demo.networks import networks_seed

    canon_seed(municipalities=municipalities)
    uses = canon_uses_seed(municipalities=municipalities, today=timezone.localdate())
    networks = networks_seed(source=source, rng=rng)
    networks.analyze()
    return {"transitions_canonuse": uses} | networks.counts()
