// An approvals route (jpxdpt/SGI): the check reads fields no unique constraint covers.
router.post('/', async (req, res, next) => {
  try {
    const existing = await prisma.approval.findFirst({
      where: { tenantId, entityType: body.entityType, entityId: body.entityId, status: 'PENDING' },
    });

    if (existing) {
      res.status(400).json({ message: 'Já existe uma aprovação pendente para esta entidade.' });
      return;
    }

    const approval = await prisma.approval.create({
      data: { tenantId, entityType: body.entityType, entityId: body.entityId, status: 'PENDING', requestedBy: userId },
    });
    res.status(201).json(approval);
  } catch (error) {
    next(error);
  }
});
