"""What a reviewer weighs and what an author gets back: the evidence beside each pending event,
and each author's own pending and rejected items."""
