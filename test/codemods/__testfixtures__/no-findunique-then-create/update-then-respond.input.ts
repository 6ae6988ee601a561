import { Router } from 'express';
import { prisma } from '../prisma';
import { authenticateToken } from '../middleware/auth';

const router = Router();

router.post('/', authenticateToken, async (req, res, next) => {
  try {
    const tenantId = getTenantId(req);
    const { actionItemId, analysisType, data } = createRootCauseAnalysisSchema.parse(req.body);

    // Verificar se já existe uma análise para esta ação
    const existing = await prisma.rootCauseAnalysis.findUnique({
      where: { actionItemId },
    });

    if (existing) {
      // Atualizar análise existente
      const updated = await prisma.rootCauseAnalysis.update({
        where: { actionItemId },
        data: {
          analysisType,
          data,
        },
      });
      return res.json(updated);
    } else {
      // Criar nova análise
      const created = await prisma.rootCauseAnalysis.create({
        data: {
          actionItemId,
          tenantId,
          analysisType,
          data,
        },
      });
      return res.status(201).json(created);
    }
  } catch (error) {
    next(error);
  }
});

export default router;
