"""spaCy pipeline components of tradeclaims, one per module, registered by versioned names.

spaCy refuses "." in factory names (error E853), so the versioned names are written
with underscores: ``tradeclaims_claims_ruler_v1`` stands for tradeclaims.claims_ruler.v1.
A changed behaviour gets a new name (``_v2``) so that old configs keep their meaning.
"""
