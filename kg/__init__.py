"""kg: a knowledge graph of job roles, skills and companies, built from job postings."""

__version__ = "0.1.0"
