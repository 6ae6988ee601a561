app.listen(3000
const x = ;
